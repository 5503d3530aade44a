/**
 * What `hwnas doctor` reports, as plain JSON (`--json` prints exactly this).
 */
import type { BackendAttempt, BackendReport, TrainCheck } from '../../evaluators/backend.js';

/** The backend section: the chosen backend, or why none could be used. */
export type DoctorBackend =
  | ({ ok: true } & BackendReport)
  /** `requested`: the backend --backend (or HWNAS_BACKEND) asked for; the others were not tried. */
  | { ok: false; error: string; hint?: string; attempts: BackendAttempt[]; requested?: string };

/** One dataset as `datasetAvailability` describes it. */
export interface DoctorDataset {
  name: string;
  available: boolean;
  source: string;
  detail: string;
}

/** The datasets section, or why hwnas could not look. */
export type DoctorDatasets = { ok: true; found: DoctorDataset[] } | { ok: false; error: string };

/** Everything `hwnas doctor` checks. */
export interface DoctorReport {
  hwnas: string;
  /** A backend loaded and passed the training check: hwnas can train here. */
  ok: boolean;
  node: { version: string; required: string; ok: boolean };
  platform: { os: string; arch: string; release: string };
  cpu: { model: string; cores: number };
  memory: { totalBytes: number; freeBytes: number };
  tfjs: string;
  backend: DoctorBackend;
  /** Absent when no backend loaded. */
  training?: TrainCheck;
  datasets: DoctorDatasets;
}
