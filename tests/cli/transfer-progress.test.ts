/**
 * Issue 9 part 5: progress on stderr (plain lines without a terminal, bars on one, nothing with --json or
 * --quiet), and the transfers with real byte progress: backup to a local file and restore from it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, bundledClis, createSimState, errorLine, parseJson, type SimState } from './support.js';

const GIB = 2 ** 30;
const SCRIPT = '/usr/bin/script';

describe('cli: progress, backup and restore', () => {
  let sim: SimState;

  beforeAll(() => {
    sim = createSimState('gv-cli-transfer-');
  });

  afterAll(() => sim?.remove());

  it('without a terminal, a mutating command prints one plain line per command on stderr and the result on stdout', () => {
    const ran = sim.cli('create', 'volume-1', '--size', '1');
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toBe(`created volume volume-1 (1 GiB) at ${BASE}/volume-1\n`);
    const lines = ran.stderr.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^createVolume round \d+: [a-z-]+: .+ \((exit \d+|signal \S+)\)$/);
    expect(lines.some((line) => /: create-sparse-file: truncate -s 1G \/gpfs0\/volumes\/\.tmp\.create\.\S+ \(exit 0\)$/.test(line))).toBe(true);
    expect(lines.some((line) => /: publish: ln -T -- \S+ \/gpfs0\/volumes\/volume-1 \(exit 0\)$/.test(line))).toBe(true);
  });

  it('prints no progress with --json, with --quiet, or for read-only commands', () => {
    expect(sim.cli('snapshot', 'volume-1', 'snap-1', '--json').stderr).toBe('');
    expect(sim.cli('clone', 'volume-1@snap-1', 'volume-2', '--quiet').stderr).toBe('');
    expect(sim.cli('ls').stderr).toBe('');
  });

  it('backs up a volume to a local file and restores it into another volume, byte for byte', () => {
    const exec = (...argv: string[]) => spawnSync(process.execPath, [bundledClis().gpfsSim, 'exec', '--state', sim.state, '--as-root', '--', ...argv]);
    expect(sim.cli('create', 'source', '--size', '1', '--quiet').status).toBe(0);
    expect(sim.cli('create', 'target', '--size', '1', '--quiet').status).toBe(0);
    expect(exec('dd', 'if=/dev/urandom', `of=${BASE}/source`, 'bs=64K', 'seek=5', 'count=3', 'conv=notrunc', 'status=none').status).toBe(0);
    const written = exec('dd', `if=${BASE}/source`, 'bs=64K', 'skip=5', 'count=3', 'status=none').stdout;
    expect(written.length).toBe(3 * 65536);

    const file = join(sim.work, 'source.backup');
    const backup = sim.cli('backup', 'source', file);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toBe(`backed up volume source to ${file} (1.0 GiB)\n`);
    const transfer = backup.stderr.split('\n').filter((line) => line.startsWith('backup source: '));
    expect(transfer).toEqual([
      ...Array.from({ length: 9 }, (_, tenth) => expect.stringMatching(new RegExp(`^backup source: .+ of 1\\.0 GiB \\(${(tenth + 1) * 10}%\\)$`)) as unknown),
      'backup source: 1.0 GiB of 1.0 GiB done',
    ]);
    expect(statSync(file).size).toBe(GIB);
    const handle = openSync(file, 'r');
    const region = Buffer.alloc(3 * 65536);
    readSync(handle, region, 0, region.length, 5 * 65536);
    closeSync(handle);
    expect(region.equals(written)).toBe(true);

    const again = sim.cli('backup', 'source', file, '--quiet');
    expect(again.status).toBe(1);
    expect(errorLine(again)).toMatch(/EEXIST/);

    const restore = sim.cli('restore', 'target', file, '--json');
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stderr).toBe('');
    expect(parseJson(restore)).toMatchObject({ name: 'target', bytes: GIB, sizeBytes: GIB, file });
    const files = sim.files();
    expect(files.get('target')?.digest).toBe(files.get('source')?.digest);
    expect(files.get('target')?.allocatedBytes).toBeGreaterThan(0);
  });

  it('a failed backup leaves no partial file behind', () => {
    const file = join(sim.work, 'missing.backup');
    const ran = sim.cli('backup', 'no-such-volume', file, '--quiet');
    expect(ran.status).toBe(1);
    expect(errorLine(ran)).toMatch(/NotFound: volume \/gpfs0\/volumes\/no-such-volume does not exist/);
    expect(existsSync(file)).toBe(false);
  });

  it.skipIf(!existsSync(SCRIPT))('on a terminal, draws a bar that counts commands on stderr (run under script(1) for a pty)', () => {
    const { gpfsVolumes } = bundledClis();
    const out = join(sim.work, 'bars.out');
    const command = [process.execPath, gpfsVolumes, 'extend', 'volume-1', '--size', '2', '--sim', sim.state, '--base', BASE].map((word) => `'${word}'`).join(' ');
    // stdout goes to a file; what script records is stderr, which is the terminal.
    const ran = spawnSync(SCRIPT, ['-qec', `${command} > '${out}'`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '160' } });
    expect(ran.status, ran.stdout).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`volume volume-1 is now 2 GiB (${BASE}/volume-1)\n`);
    const screen = ran.stdout;
    expect(screen).toContain('\u001b[');
    expect(screen).toMatch(/extendVolume \[[█░]+\] (\d+)\/\1 commands \| round \d+ \|/);
    expect(screen).not.toMatch(/round \d+: [a-z-]+: /);
  });

  it('restores refuse a file that cannot be read, before anything runs', () => {
    const log = sim.sim('log', '--state', sim.state).stdout;
    const ran = sim.cli('restore', 'target', join(sim.work, 'nothing-here'), '--quiet');
    expect(ran.status).toBe(1);
    expect(errorLine(ran)).toMatch(/cannot read .*nothing-here: ENOENT/);
    expect(sim.sim('log', '--state', sim.state).stdout).toBe(log);
  });
});
