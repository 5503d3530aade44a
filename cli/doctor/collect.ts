/**
 * Gathers the `hwnas doctor` report. Every check records its failure in the report
 * rather than throwing, so one broken part never hides the others.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../../core/errors.js';
import { firstLine } from '../../core/format.js';
import { BackendUnavailableError, checkTraining, resolveBackend } from '../../evaluators/backend.js';
import { packageVersion } from '../version.js';
import type { DoctorBackend, DoctorDatasets, DoctorReport } from './report.js';

const requiredNodeMajor = 20;

/** Inputs to {@link collectDoctorReport}. */
export interface DoctorOptions {
  /** Backend name as typed (flag or $HWNAS_BACKEND); undefined picks the fastest. */
  backend?: string;
  /** Extra directory to look for datasets in. */
  dataDir?: string;
}

async function backendSection(backend: string | undefined): Promise<DoctorBackend> {
  try {
    return { ok: true, ...(await resolveBackend({ backend })) };
  } catch (error) {
    // Unknown names and bugs propagate; only "nothing could load" is a finding.
    if (!(error instanceof BackendUnavailableError)) throw error;
    const section: DoctorBackend = { ok: false, error: error.message, attempts: error.attempts };
    if (error.hint !== undefined) section.hint = error.hint;
    if (backend !== undefined) section.requested = backend;
    return section;
  }
}

async function datasetsSection(dataDir: string | undefined): Promise<DoctorDatasets> {
  try {
    // Imported lazily so a broken dataset module shows up as one ✗ line in the report
    // instead of stopping doctor before it can say anything.
    const datasets = await import('../../evaluators/data/index.js');
    return { ok: true, found: await datasets.datasetAvailability({ dataDir }) };
  } catch (error) {
    return { ok: false, error: firstLine(errorMessage(error)) };
  }
}

/** Runs every doctor check. */
export async function collectDoctorReport(options: DoctorOptions): Promise<DoctorReport> {
  const backend = await backendSection(options.backend);
  const training = backend.ok ? await checkTraining() : undefined;
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  const report: DoctorReport = {
    hwnas: packageVersion(),
    ok: backend.ok && training?.ok === true,
    node: { version: process.version, required: `>=${requiredNodeMajor}`, ok: nodeMajor >= requiredNodeMajor },
    platform: { os: process.platform, arch: process.arch, release: os.release() },
    cpu: { model: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism() },
    memory: { totalBytes: os.totalmem(), freeBytes: os.freemem() },
    tfjs: tf.version.tfjs,
    backend,
    datasets: await datasetsSection(options.dataDir),
  };
  if (training !== undefined) report.training = training;
  return report;
}
