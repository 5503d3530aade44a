/**
 * The human-readable `hwnas doctor` report: aligned `key  value` rows with a ✓/✗ per
 * check, wrapped to 80 columns.
 * ```
 * hwnas 0.1.0 doctor
 *   node        v20.20.2 (>= 20 ✓)
 *   backend     wasm ✓ (simd ✓, threads ✗, 1 thread)
 *     tensorflow      ✗ not installed (...)
 * ```
 */
import { alignRows, mark, type Row } from '../../core/format.js';
import { counted } from '../../core/plural.js';
import { formatBytes, formatMs } from '../../core/units.js';
import type { BackendAttempt, BackendReport } from '../../evaluators/backend.js';
import type { DoctorBackend, DoctorDatasets, DoctorReport } from './report.js';

const width = 80;
const keyWidth = 12;

function rows(entries: readonly Row[], indent = 2): string[] {
  return alignRows(entries, { indent, keyWidth, width });
}

function backendSummary(backend: BackendReport): string {
  switch (backend.name) {
    case 'wasm': {
      const wasm = backend.wasm;
      if (wasm === undefined) return 'wasm ✓';
      const count = wasm.threadsCount === undefined ? '' : `, ${counted(wasm.threadsCount, 'thread')}`;
      return `wasm ✓ (simd ${mark(wasm.simd)}, threads ${mark(wasm.threads)}${count})`;
    }
    case 'tensorflow-gpu':
      return 'tensorflow-gpu ✓ (libtensorflow with CUDA, @tensorflow/tfjs-node-gpu)';
    case 'tensorflow':
      return 'tensorflow ✓ (libtensorflow, @tensorflow/tfjs-node)';
    case 'cpu':
      return 'cpu ✓ (pure JS, ~400x slower than wasm; chosen by name)';
  }
}

function kernelsText(backend: BackendReport): string {
  if (backend.trainingKernels.length > 0) {
    return `${backend.trainingKernels.join(', ')} (hwnas ${backend.name} training kernels)`;
  }
  return backend.name === 'cpu' ? 'stock tfjs cpu kernels' : 'none needed (native TensorFlow kernels)';
}

function attemptRows(attempts: readonly BackendAttempt[]): string[] {
  const failed = attempts.filter((attempt) => !attempt.ok);
  const nameWidth = Math.max(0, ...failed.map((attempt) => attempt.name.length)) + 2;
  return alignRows(failed.map((attempt) => [attempt.name, `✗ ${attempt.reason ?? 'failed'}`] as const),
    { indent: 4, keyWidth: nameWidth, width });
}

function backendLines(backend: DoctorBackend, report: DoctorReport): string[] {
  if (!backend.ok) {
    // Only the backend asked for was tried: the others may well train.
    const verdict = backend.requested !== undefined ? `✗ ${backend.requested} (asked for) cannot load; others not tried` : '✗ nothing can train';
    return [...rows([['backend', verdict]]), ...attemptRows(backend.attempts)];
  }
  const lines = [...rows([['backend', backendSummary(backend)]]), ...attemptRows(backend.attempts)];
  const training = report.training;
  const trainingText = training === undefined ? '✗ not checked'
    : training.ok ? `✓ conv, depthwise, pool and dense gradients (${formatMs(training.ms)})`
      : `✗ ${training.reason ?? 'failed'}`;
  return [...lines, ...rows([['kernels', kernelsText(backend)], ['training', trainingText]])];
}

function datasetEntries(datasets: DoctorDatasets): string[] {
  if (!datasets.ok) return [`✗ could not check: ${datasets.error}`];
  if (datasets.found.length === 0) return ['✗ none known'];
  return datasets.found.map((dataset) => {
    const parts = [dataset.name, mark(dataset.available), dataset.source, dataset.detail === '' ? '' : `(${dataset.detail})`];
    return parts.filter((part) => part !== '').join(' ');
  });
}

/** Renders `report` as lines of at most 80 columns (except unbreakable words). */
export function renderDoctorReport(report: DoctorReport): string[] {
  const nodeCheck = `${report.node.version} (${report.node.required.replace('>=', '>= ')} ${mark(report.node.ok)})`;
  const { cpu, memory, platform } = report;
  return [
    `hwnas ${report.hwnas} doctor`,
    ...rows([
      ['node', nodeCheck],
      ['platform', `${platform.os} ${platform.arch} (release ${platform.release})`],
      ['cpu', `${counted(cpu.cores, 'core')}, ${cpu.model}`],
      ['memory', `${formatBytes(memory.totalBytes)} total, ${formatBytes(memory.freeBytes)} free`],
      ['tfjs', report.tfjs],
    ]),
    ...backendLines(report.backend, report),
    ...rows([['datasets', datasetEntries(report.datasets)]]),
  ];
}
