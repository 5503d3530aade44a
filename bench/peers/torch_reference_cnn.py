"""PyTorch peer for `npm run bench:train`: the same reference CNN, batch, optimizer and
thread count, timed the same way. Prints one JSON line. Needs Debian's python3-torch."""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 6.0
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(7 * 7 * 32, 64), nn.ReLU(), nn.Linear(64, 10),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(batch, 1, 28, 28)
y = torch.randint(0, 10, (batch,))


def train_step():
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def infer_step():
    with torch.no_grad():
        model(x).sum().item()


def rate(step, budget, min_steps):
    start = time.perf_counter()
    steps = 0
    while steps < min_steps or time.perf_counter() - start < budget:
        step()
        steps += 1
    return steps / (time.perf_counter() - start)


for _ in range(5):
    train_step()
    infer_step()
train = rate(train_step, seconds, 10) * batch
infer = rate(infer_step, seconds / 2, 10) * batch
print(json.dumps({"backend": f"pytorch {torch.__version__} (peer)", "trainImgPerSec": train, "inferImgPerSec": infer}))
