/**
 * `hwnas dashboard` end to end: a real search writes a database while the dashboard,
 * running in tmux, watches it; the counts on screen must advance. Skips without tmux.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cliMain, hwnas } from '../helpers/run-cli.js';

const hasTmux = (() => { try { execFileSync('tmux', ['-V']); return true; } catch { return false; } })();
if (!hasTmux) console.log('skipping the dashboard e2e test: tmux is not installed (apt-get install tmux)');

beforeAll(assertCliBuilt);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasTmux)('hwnas dashboard in tmux', () => {
  it('shows a search that another process is running, and its counts advance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hwnas-dash-'));
    const db = join(dir, 'runs.db');
    const session = `hwnas-test-${process.pid}`;
    const search = spawn(process.execPath, [cliMain, 'search', '--space', 'mlp', '--epochs', '0.2', '--trials', '10', '--workers', '2', '--seed', '8', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      // Wait for the first finished trial so the database and run exist.
      await new Promise<void>((resolve, reject) => {
        search.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('"kind":"trial"')) resolve(); });
        setTimeout(() => reject(new Error('search made no progress')), 90_000);
      });
      // ink draws only its last frame when CI is set: the dashboard runs as a user would, without it.
      execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '30', `env -u CI ${process.execPath} ${cliMain} dashboard --db ${db} --interval 200`]);
      const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session]).toString();
      const complete = () => Number(/complete (\d+)/.exec(screen())?.[1] ?? -1);
      // Under CI's load the dashboard can take a while to draw its first frame.
      let first = -1;
      for (let i = 0; i < 300 && first < 0; i++) { await sleep(200); first = complete(); }
      expect(first, `screen:\n${screen()}`).toBeGreaterThanOrEqual(1);
      expect(screen()).toMatch(/run-1 +mlp on mnist, evolution/);
      let later = first;
      for (let i = 0; i < 300 && later <= first; i++) { await sleep(200); later = complete(); }
      expect(later, `screen:\n${screen()}`).toBeGreaterThan(first);
      execFileSync('tmux', ['send-keys', '-t', session, '3']);
      await sleep(600);
      expect(screen()).toMatch(/\[3 trials\]/);
      // The workers view shows what the other process's pool is training, from the progress it stores.
      execFileSync('tmux', ['send-keys', '-t', session, '4']);
      let workers = '';
      for (let i = 0; i < 100 && !/ (training|fine-tuning) /.test(workers); i++) { await sleep(200); workers = screen(); }
      expect(workers).toMatch(/^ +[12] +\d+ +(training|fine-tuning) +1\/1 /m);
      // Enter on the table's selected row opens its detail; Esc goes back.
      execFileSync('tmux', ['send-keys', '-t', session, '3']);
      await sleep(400);
      execFileSync('tmux', ['send-keys', '-t', session, 'Enter']);
      await sleep(800);
      expect(screen()).toMatch(/^trial 0 /m);
      expect(screen()).toMatch(/layer +kind +output +MACs/);
      execFileSync('tmux', ['send-keys', '-t', session, 'Escape']);
      await sleep(800);
      expect(screen()).toMatch(/sorted by number/);
      execFileSync('tmux', ['send-keys', '-t', session, 'q']);
      await sleep(600);
    } finally {
      search.kill('SIGKILL');
      try { execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' }); } catch { /* already gone */ }
    }
  }, 180_000);

  it('search --ui shows the dashboard while it searches; q stops the search cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hwnas-ui-'));
    const db = join(dir, 'runs.db');
    const session = `hwnas-ui-${process.pid}`;
    try {
      execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '30',
        `env -u CI ${process.execPath} ${cliMain} search --ui --space mlp --epochs 0.2 --trials 50 --workers 2 --seed 4 --db ${db}; sleep 60`]);
      const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session]).toString();
      let complete = -1;
      for (let i = 0; i < 450 && complete < 1; i++) { await sleep(200); complete = Number(/complete (\d+)/.exec(screen())?.[1] ?? -1); }
      expect(complete, `screen:\n${screen()}`).toBeGreaterThanOrEqual(1);
      expect(screen()).toMatch(/\[1 overview\]/);
      execFileSync('tmux', ['send-keys', '-t', session, 'q']);
      let after = '';
      for (let i = 0; i < 150 && !/^interrupted: /m.test(after); i++) { await sleep(200); after = screen(); }
      expect(after).toMatch(/^interrupted: \d+ complete/m);
      expect(after).toMatch(/continue with: hwnas search --resume/);
      const runs = await hwnas(['runs', '--db', db]);
      expect(runs.stdout).toMatch(/run-1 .*interrupted/);
    } finally {
      try { execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' }); } catch { /* already gone */ }
    }
  }, 180_000);

  it('search --ui refuses a stdout that is not a terminal, before creating anything', async () => {
    const db = join(tmpdir(), `no-ui-${process.pid}.db`);
    const r = await hwnas(['search', '--ui', '--space', 'mlp', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hwnas: --ui needs a terminal, and stdout is not one/);
    expect(existsSync(db)).toBe(false);
  });

  it('says in one line when there is nothing to watch (exit 1)', async () => {
    const r = await hwnas(['dashboard', '--db', join(tmpdir(), 'no-such-dashboard.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hwnas: no database at .*no-such-dashboard.db/);
  });
});
