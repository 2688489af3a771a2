/**
 * Issue 9 part 5: how the operator CLI fails. Refused input is one readable line on stderr (or one JSON
 * document with `--json`), a non-zero exit, and no command run on the cluster; usage errors exit 2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, bundledClis, createSimState, errorLine, parseJson, runNode, type SimState } from './support.js';

describe('cli: errors and exit codes', () => {
  let sim: SimState;

  beforeAll(() => {
    sim = createSimState('gv-cli-errors-');
    expect(sim.cli('create', 'volume-1', '--size', '1', '--quiet').status).toBe(0);
  });

  afterAll(() => sim?.remove());

  it.each([
    ['create', ['create', '../etc', '--size', '1']],
    ['snapshot', ['snapshot', 'volume-1', 'snap;rm -rf /']],
    ['clone of a snapshot', ['clone', 'volume-1@s1', 'two words']],
    ['clone of a volume without --size', ['clone', '..', 'volume-9']],
    ['delete', ['delete', 'volume-1@x.ts']],
    ['extend', ['extend', '.hidden', '--size', '2']],
  ])('%s: an invalid name is one InvalidName line, exit 1, and nothing runs', (_title, args) => {
    const before = sim.snapshot();
    const log = sim.sim('log', '--state', sim.state).stdout;
    const ran = sim.cli(...args);
    expect(ran.status).toBe(1);
    expect(ran.stdout).toBe('');
    expect(errorLine(ran)).toMatch(/^\[gpfs\] \[[^\]]+\] InvalidName: invalid .*name .*Nothing was run\.$/);
    expect(sim.sim('log', '--state', sim.state).stdout).toBe(log);
    expect(sim.snapshot()).toEqual(before);
  });

  it('with --json an error is one document on stdout and nothing on stderr', () => {
    const ran = sim.cli('create', '../etc', '--size', '1', '--json');
    expect(ran.status).toBe(1);
    expect(ran.stderr).toBe('');
    expect(parseJson(ran)).toEqual({ error: expect.objectContaining({ kind: 'InvalidName', role: 'volume', name: '../etc' }) as unknown });
  });

  it('a failure after commands ran (NotMounted) exits 1 with the driver error', () => {
    const unmounted = createSimState('gv-cli-unmounted-');
    try {
      expect(unmounted.sim('control', '--state', unmounted.state, 'unmount', 'gpfs0').status).toBe(0);
      const ran = unmounted.cli('create', 'volume-1', '--size', '1', '--quiet');
      expect(ran.status).toBe(1);
      expect(errorLine(ran)).toMatch(/NotMounted: \/gpfs0\/volumes is not on a mounted GPFS file system/);
      expect(unmounted.snapshot().files.filter((file) => file.path.startsWith(BASE) && file.type === 'file')).toEqual([]);
    } finally {
      unmounted.remove();
    }
  });

  it.each([
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown option', ['ls', '--colour'], /unknown option '--colour'/],
    ['a missing required option', ['create', 'volume-2'], /required option '--size <GiB>' not specified/],
    ['a size that is not a number', ['create', 'volume-2', '--size', '1.5'], /--size must be a whole number \(got "1\.5"\)/],
    ['a missing argument', ['snapshot', 'volume-1'], /missing required argument 'snapshot'/],
  ])('%s is a usage error: exit 2', (_title, args, message) => {
    const ran = sim.cli(...args);
    expect(ran.status).toBe(2);
    expect(ran.stdout).toBe('');
    expect(errorLine(ran)).toMatch(message);
    const json = sim.cli(...args, '--json');
    expect(json.status).toBe(2);
    expect(json.stderr).toBe('');
    expect(parseJson<{ error: { kind: string; message: string } }>(json).error).toMatchObject({ kind: 'UsageError', message: expect.stringMatching(message) as unknown });
  });

  it('needs a target and a base: usage errors naming the option; GPFS_VOLUMES_BASE stands in for --base', () => {
    const { gpfsVolumes } = bundledClis();
    const noTarget = runNode(gpfsVolumes, ['ls', '--base', BASE]);
    expect(noTarget.status).toBe(2);
    expect(errorLine(noTarget)).toBe('error: a target is required: --sim <state-dir> or --ssh <user@host>');
    const noBase = sim.cliWithout({}, 'ls');
    expect(noBase.status).toBe(2);
    expect(errorLine(noBase)).toBe('error: --base <dir> is required (or set GPFS_VOLUMES_BASE)');
    const both = runNode(gpfsVolumes, ['ls', '--base', BASE, '--sim', sim.state, '--ssh', 'root@localhost']);
    expect(both.status).toBe(2);
    expect(errorLine(both)).toMatch(/cannot be used with option '--ssh/);
    const fromEnvironment = sim.cliWithout({ GPFS_VOLUMES_BASE: BASE }, 'ls', '--json');
    expect(fromEnvironment.status, fromEnvironment.stderr).toBe(0);
    expect(parseJson<{ base: string }>(fromEnvironment).base).toBe(BASE);
  });

  it('a state directory without state is a readable error, exit 1', () => {
    const { gpfsVolumes } = bundledClis();
    const missing = join(sim.work, 'nowhere');
    const ran = runNode(gpfsVolumes, ['ls', '--sim', missing, '--base', BASE]);
    expect(ran.status).toBe(1);
    expect(errorLine(ran)).toBe(`[gpfs] [gpfs-volumes] SimulatorError: no simulator state in ${missing} (run 'gpfs-sim init --state ${missing}' first)`);
  });

  it('--help exits 0 and lists every command; --version prints the package version', () => {
    const { gpfsVolumes } = bundledClis();
    const help = runNode(gpfsVolumes, ['--help']);
    expect(help.status).toBe(0);
    for (const command of ['doctor', 'ls', 'tree', 'gc', 'create', 'snapshot', 'clone', 'delete', 'extend', 'backup', 'restore']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    const version = runNode(gpfsVolumes, ['--version']);
    const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).toMatchObject({ status: 0, stdout: `${packageJson.version}\n` });
  });
});
