/**
 * `doctor`'s report: the driver's setup checks, one line each, from what `setup()` returned. Pure.
 *
 * Setup checks in a fixed order and stops at the first problem, so a check before the failing one
 * passed (without details: setup returns no facts when it fails) and the checks after it were not
 * run. An error that cannot be placed in that order (a lost connection, a parse error) leaves every
 * check after the configuration unrun and is reported on its own.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { GpfsError, InvalidConfigError } from '../driver/errors.js';
import { CLONE_MIN_RELEASE_LEVEL, ENCRYPTION_MIN_RELEASE_LEVEL, type ClusterFacts } from '../driver/facts.js';
import { formatError } from '../errors.js';
import { formatBytes } from '../inventory/render.js';
import { oneLine } from './output.js';

/** A check's outcome. */
export type CheckStatus = 'ok' | 'problem' | 'not-checked';

/**
 * One line of the report.
 *
 * @example
 * ```ts
 * const check: DoctorCheck = { id: 'gpfs-state', title: 'GPFS daemon active', status: 'ok', detail: 'node1 is active' };
 * ```
 */
export interface DoctorCheck {
  /** Stable id for machines. */
  readonly id: string;
  /** What is checked, for people. */
  readonly title: string;
  /** Outcome. */
  readonly status: CheckStatus;
  /** What was found, or what is wrong. */
  readonly detail: string;
}

/**
 * The whole report.
 *
 * @example
 * ```ts
 * const report: DoctorReport = { ok: true, target: 'gpfs-sim state /tmp/sim', checks: [], facts: null, error: null };
 * ```
 */
export interface DoctorReport {
  /** Every check passed. */
  readonly ok: boolean;
  /** The target, for people. */
  readonly target: string;
  /** The checks in order. */
  readonly checks: readonly DoctorCheck[];
  /** What setup found, when it succeeded. */
  readonly facts: ClusterFacts | null;
  /** The problem setup reported (or the options problem), else `null`. */
  readonly error: GpfsError | null;
}

/**
 * What the report is built from.
 *
 * @example
 * ```ts
 * const input: DoctorInput = { target: 'cinder@node1:22', mountPointBase: '/gpfs0/volumes', imagesDir: null, storagePool: 'system', maxCloneDepth: 0, configError: null, setup: ok(facts) };
 * ```
 */
export interface DoctorInput {
  /** The target, for people. */
  readonly target: string;
  /** The base directory asked for. */
  readonly mountPointBase: string;
  /** The images directory asked for, or `null`. */
  readonly imagesDir: string | null;
  /** The storage pool asked for. */
  readonly storagePool: string;
  /** The clone depth limit asked for. */
  readonly maxCloneDepth: number;
  /** The driver's options error, or `null`. */
  readonly configError: InvalidConfigError | null;
  /** What setup returned (not run when the options are invalid). */
  readonly setup: Result<ClusterFacts, GpfsError> | null;
}

/**
 * Builds the report.
 *
 * @param input - Options, target and setup's outcome.
 * @returns The report.
 */
export function buildDoctorReport(input: DoctorInput): DoctorReport {
  const titles = checkTitles(input.imagesDir !== null);
  const check = (id: string, status: CheckStatus, detail: string): DoctorCheck => ({ id, title: titles.get(id) ?? id, status, detail });
  if (input.configError !== null || input.setup === null) {
    const detail = input.configError === null ? 'not checked' : input.configError.issues.join('; ');
    const checks = [...titles.keys()].map((id, index) => (index === 0 ? check(id, 'problem', detail) : check(id, 'not-checked', 'not checked (the options are invalid)')));
    return { ok: false, target: input.target, checks, facts: null, error: input.configError };
  }
  const configuration = check(
    'configuration',
    'ok',
    `base ${input.mountPointBase}, storage pool ${input.storagePool}, max clone depth ${input.maxCloneDepth === 0 ? 'unlimited' : input.maxCloneDepth}${input.imagesDir === null ? '' : `, images ${input.imagesDir}`}`,
  );
  if (input.setup.isOk()) {
    const facts = input.setup.value;
    const details = factDetails(facts, input.target);
    return { ok: true, target: input.target, checks: [configuration, ...[...titles.keys()].slice(1).map((id) => check(id, 'ok', details.get(id) ?? ''))], facts, error: null };
  }
  const error = input.setup.error;
  const failing = failingCheck(error, input.imagesDir);
  const ids = [...titles.keys()].slice(1);
  const failingIndex = failing === null ? -1 : ids.indexOf(failing);
  const checks = ids.map((id, index) => {
    if (failingIndex === -1) return check(id, 'not-checked', 'not checked (setup stopped: see the error)');
    if (index < failingIndex) return check(id, 'ok', 'passed');
    if (index === failingIndex) return check(id, 'problem', oneLine(formatError(error)));
    return check(id, 'not-checked', 'not checked (an earlier check failed)');
  });
  return { ok: false, target: input.target, checks: [configuration, ...checks], facts: null, error };
}

/**
 * Draws the report for people.
 *
 * @param report - The report.
 * @returns Lines ending with a newline.
 */
export function renderDoctorReport(report: DoctorReport): string {
  const marks: Record<CheckStatus, string> = { ok: 'ok', problem: 'PROBLEM', 'not-checked': 'skipped' };
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = [`target: ${report.target}`];
  for (const check of report.checks) lines.push(`  ${`[${marks[check.status]}]`.padEnd(10)}${check.title.padEnd(width)}  ${check.detail}`);
  const problems = report.checks.filter((check) => check.status === 'problem');
  if (report.ok) lines.push('all checks passed');
  else if (problems.length === 0 && report.error !== null) lines.push(`problem: ${oneLine(formatError(report.error))}`);
  else lines.push(`${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
  return `${lines.join('\n')}\n`;
}

// --- Internal helpers ---

function checkTitles(withImages: boolean): Map<string, string> {
  return new Map([
    ['configuration', 'driver options'],
    ['target', 'target reachable'],
    ['gpfs-state', 'GPFS daemon active'],
    ['cluster', `cluster release level (>= ${CLONE_MIN_RELEASE_LEVEL})`],
    ['base-directory', 'volumes directory on a mounted GPFS'],
    ...(withImages ? [['images-directory', 'images directory on a mounted GPFS'] as [string, string]] : []),
    ['format-level', `file system format level (>= ${CLONE_MIN_RELEASE_LEVEL})`],
    ['storage-pool', 'storage pool exists'],
    ['encryption', 'encryption at rest (information)'],
  ]);
}

function factDetails(facts: ClusterFacts, target: string): Map<string, string> {
  const base = facts.base;
  const images = facts.imagesDir;
  return new Map([
    ['target', target],
    ['gpfs-state', `${facts.node ?? 'the node'} is ${facts.gpfsState}`],
    ['cluster', `${facts.clusterName ?? 'cluster'} (id ${facts.clusterId}) at level ${facts.clusterReleaseLevel}`],
    [
      'base-directory',
      `${base.path}: ${base.device} mounted at ${base.mountPoint}, fileset ${base.fileset}, ${formatBytes(facts.capacity.availableBytes)} available of ${formatBytes(facts.capacity.totalBytes)}`,
    ],
    [
      'images-directory',
      images === null
        ? ''
        : `${images.path}: ${images.device}, fileset ${images.fileset}; same file system ${facts.imagesShare?.sameFilesystem === true ? 'yes' : 'no'}, same fileset ${facts.imagesShare?.sameFileset === true ? 'yes' : 'no'}`,
    ],
    ['format-level', `${base.device} at ${base.formatVersion} (level ${base.formatLevel})${images !== null && images.device !== base.device ? `; ${images.device} at ${images.formatVersion}` : ''}`],
    [
      'storage-pool',
      `${facts.storagePool.name}: ${formatBytes(facts.storagePool.freeDataKB * 1024)} free of ${formatBytes(facts.storagePool.totalDataKB * 1024)}; data pools ${facts.dataPools.join(', ') || 'none'}`,
    ],
    ['encryption', facts.encryption === null ? `unknown (the cluster level is below ${ENCRYPTION_MIN_RELEASE_LEVEL})` : facts.encryption ? 'yes' : 'no'],
  ]);
}

const STEP_CHECKS: Readonly<Record<string, string>> = {
  'gpfs-state': 'gpfs-state',
  'cluster-id': 'cluster',
  'cluster-level': 'cluster',
  'base-is-directory': 'base-directory',
  'base-device': 'base-directory',
  'base-attributes': 'base-directory',
  'images-is-directory': 'images-directory',
  'images-device': 'images-directory',
  'images-attributes': 'images-directory',
  'filesystem-ids': 'images-directory',
  'base-format-level': 'format-level',
  'images-format-level': 'format-level',
  'storage-pool': 'storage-pool',
};

/** The check an error of setup belongs to, or `null` when it cannot be placed. */
function failingCheck(error: GpfsError, imagesDir: string | null): string | null {
  switch (error.kind) {
    case 'GpfsNotActive':
      return 'gpfs-state';
    case 'DownlevelCluster':
      return 'cluster';
    case 'NotMounted':
      return imagesDir !== null && error.path === imagesDir ? 'images-directory' : 'base-directory';
    case 'DownlevelFilesystem':
      return 'format-level';
    case 'InvalidStoragePool':
      return 'storage-pool';
    case 'InvalidConfig': {
      const issue = error.issues[0] ?? '';
      if (issue.startsWith('mountPointBase:')) return 'base-directory';
      return issue.startsWith('imagesDir:') || issue.startsWith('imagesShareMode:') ? 'images-directory' : null;
    }
    case 'CommandFailed':
      return STEP_CHECKS[error.step] ?? null;
    case 'ParseError':
      return error.parser === 'minreleaseLeveldaemon' || error.parser === 'parseMmlsconfig' ? 'cluster' : error.parser === 'parseMmlspool' ? 'storage-pool' : null;
    case 'ConnectionFailed':
    case 'HostKeyRejected':
    case 'AuthenticationFailed':
    case 'SpawnFailed':
      return 'target';
    default:
      return null;
  }
}
