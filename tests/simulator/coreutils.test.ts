import { describe, expect, it } from 'vitest';
import { createGpfsSimulator, parseFileListing, parseNulSeparated } from '../../src/index.js';
import { ok, root } from './support.js';

describe('simulator: system commands', () => {
  it('formats stat -c with the directives the driver uses', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '10', '/gpfs0/f']);
    await ok(sim, ['chmod', '640', '/gpfs0/f']);
    const inode = sim.inspect.file('/gpfs0/f')._unsafeUnwrap().inode;
    expect((await ok(sim, ['stat', '-c', '%i|%n|%s|%b|%B|%h|%F|%a|%A|%u|%g|%U|%%', '/gpfs0/f'])).stdout).toBe(`${inode}|/gpfs0/f|10|0|512|1|regular file|640|-rw-r-----|0|0|root|%\n`);
    expect((await ok(sim, ['stat', '-c', '%F %a', '/gpfs0'])).stdout).toBe('directory 755\n');
    expect((await ok(sim, ['stat', '--printf', '%s\\n%i\\n', '/gpfs0/f'])).stdout).toBe(`10\n${inode}\n`);
    expect((await ok(sim, ['stat', '-f', '-c', '%T %S %l', '/gpfs0'])).stdout).toBe('gpfs 4194304 255\n');
    const missing = await root(sim, ['stat', '/gpfs0/none']);
    expect(missing).toMatchObject({ exitCode: 1, stderr: "stat: cannot stat '/gpfs0/none': No such file or directory\n" });
    expect((await root(sim, ['stat'])).stderr).toBe("stat: missing operand\nTry 'stat --help' for more information.\n");
    expect((await ok(sim, ['stat', '/gpfs0/f'])).stdout).toContain('Size: 10');
  });

  it('evaluates test expressions with files, strings, integers and negation', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '0', '/gpfs0/empty']);
    await ok(sim, ['truncate', '-s', '5', '/gpfs0/full']);
    const code = async (...argv: string[]): Promise<number | null> => (await root(sim, argv)).exitCode;
    expect(await code('test', '-e', '/gpfs0/empty')).toBe(0);
    expect(await code('test', '-f', '/gpfs0')).toBe(1);
    expect(await code('test', '-d', '/gpfs0')).toBe(0);
    expect(await code('test', '-s', '/gpfs0/empty')).toBe(1);
    expect(await code('test', '-s', '/gpfs0/full')).toBe(0);
    expect(await code('test', '!', '-e', '/gpfs0/none')).toBe(0);
    expect(await code('[', '-e', '/gpfs0/full', '-a', '!', '-d', '/gpfs0/full', ']')).toBe(0);
    expect(await code('test', 'a', '=', 'a')).toBe(0);
    expect(await code('test', '3', '-gt', '4')).toBe(1);
    expect(await root(sim, ['test', 'x', '-eq', '1'])).toMatchObject({ exitCode: 2, stderr: "test: invalid integer 'x'\n" });
    expect(await root(sim, ['[', '-e', '/gpfs0'])).toMatchObject({ exitCode: 2, stderr: "[: missing ']'\n" });
    expect(await code('test')).toBe(1);
  });

  it('creates directories with mkdir -p and -m, and reports the errors mkdir prints', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['mkdir', '-p', '-m', '0770', '/gpfs0/a/b/c']);
    expect(sim.inspect.file('/gpfs0/a/b/c')._unsafeUnwrap()).toMatchObject({ type: 'directory', mode: 0o770 });
    expect(sim.inspect.file('/gpfs0/a/b')._unsafeUnwrap().mode).toBe(0o755);
    await ok(sim, ['mkdir', '-p', '/gpfs0/a/b/c']);
    expect((await root(sim, ['mkdir', '/gpfs0/a'])).stderr).toBe("mkdir: cannot create directory '/gpfs0/a': File exists\n");
    expect((await root(sim, ['mkdir', '/gpfs0/x/y'])).stderr).toBe("mkdir: cannot create directory '/gpfs0/x/y': No such file or directory\n");
    expect((await root(sim, ['mkdir', '-m', 'zz', '/gpfs0/z'])).stderr).toBe("mkdir: invalid mode 'zz'\n");
  });

  it('accepts truncate sizes with suffixes and relative prefixes', async () => {
    const sim = createGpfsSimulator();
    const size = async (spec: string): Promise<number> => {
      await ok(sim, ['truncate', '-s', spec, '/gpfs0/t']);
      return sim.inspect.file('/gpfs0/t')._unsafeUnwrap().sizeBytes;
    };
    expect(await size('1K')).toBe(1024);
    expect(await size('2KB')).toBe(2000);
    expect(await size('+1M')).toBe(2000 + 1024 ** 2);
    expect(await size('1G')).toBe(1024 ** 3);
    expect(await size('<1T')).toBe(1024 ** 3);
    expect(await size('%1000000')).toBe(1074000000);
    expect((await root(sim, ['truncate', '-s', 'abc', '/gpfs0/t'])).stderr).toBe("truncate: invalid number: 'abc'\n");
    expect((await root(sim, ['truncate', '/gpfs0/t'])).stderr).toContain("you must specify either '--size' or '--reference'");
    expect((await root(sim, ['truncate', '-s', '1', '/gpfs0/none/t'])).stderr).toBe("truncate: cannot open '/gpfs0/none/t' for writing: No such file or directory\n");
    expect((await root(sim, ['truncate', '-s', '1', '/gpfs0'])).stderr).toBe("truncate: cannot open '/gpfs0' for writing: Is a directory\n");
  });

  it('removes files and trees with rm, honouring -f, -r and the errors rm prints', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['mkdir', '-p', '/gpfs0/d/e']);
    await ok(sim, ['truncate', '-s', '1', '/gpfs0/d/e/f']);
    expect((await root(sim, ['rm', '/gpfs0/d'])).stderr).toBe("rm: cannot remove '/gpfs0/d': Is a directory\n");
    expect((await root(sim, ['rm', '/gpfs0/none'])).stderr).toBe("rm: cannot remove '/gpfs0/none': No such file or directory\n");
    await ok(sim, ['rm', '-f', '/gpfs0/none']);
    await ok(sim, ['rm', '-rf', '/gpfs0/d']);
    expect(sim.inspect.file('/gpfs0/d').isErr()).toBe(true);
    expect((await root(sim, ['rm'])).stderr).toBe("rm: missing operand\nTry 'rm --help' for more information.\n");
    expect((await root(sim, ['rm', '-rf', '/gpfs0'])).stderr).toBe("rm: cannot remove '/gpfs0': Device or resource busy\n");
  });

  it('copies with cp (across file systems too), and links with ln', async () => {
    const sim = createGpfsSimulator();
    sim.control.seedFile({ path: '/gpfs0/src', content: 'payload', sizeBytes: 8 * 1024 ** 2, mode: 0o600 })._unsafeUnwrap();
    await ok(sim, ['cp', '/gpfs0/src', '/tmp/copy']);
    expect(sim.inspect.digest('/tmp/copy')._unsafeUnwrap()).toBe(sim.inspect.digest('/gpfs0/src')._unsafeUnwrap());
    expect(sim.inspect.file('/tmp/copy')._unsafeUnwrap().allocatedBytes).toBe(4096);
    await ok(sim, ['ln', '/gpfs0/src', '/gpfs0/hard']);
    expect(sim.inspect.file('/gpfs0/src')._unsafeUnwrap().links).toBe(2);
    expect((await root(sim, ['ln', '/gpfs0/src', '/tmp/hard'])).stderr).toBe("ln: failed to create hard link '/tmp/hard' => '/gpfs0/src': Invalid cross-device link\n");
    await ok(sim, ['ln', '-s', '/gpfs0/src', '/tmp/link']);
    expect((await ok(sim, ['stat', '-L', '-c', '%s', '/tmp/link'])).stdout).toBe(`${8 * 1024 ** 2}\n`);
    expect((await ok(sim, ['stat', '-c', '%F', '/tmp/link'])).stdout).toBe('symbolic link\n');
    expect((await root(sim, ['cp', '/gpfs0', '/tmp/x'])).stderr).toBe("cp: -r not specified; omitting directory '/gpfs0'\n");
    expect((await root(sim, ['cp', '/gpfs0/src', '/gpfs0/src'])).stderr).toBe("cp: '/gpfs0/src' and '/gpfs0/src' are the same file\n");
    await ok(sim, ['mmclone', 'snap', '/gpfs0/src', '/gpfs0/src.snap']);
    expect((await root(sim, ['cp', '/tmp/copy', '/gpfs0/src.snap'])).stderr).toBe("cp: cannot create regular file '/gpfs0/src.snap': Read-only file system\n");
  });

  it('walks trees with find: depth limits, tests, operators, -printf and -print0', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['mkdir', '-p', '/gpfs0/vols/group']);
    for (const name of ['volume-1', 'volume-2', 'group/volume-3']) await ok(sim, ['truncate', '-s', '1M', `/gpfs0/vols/${name}`]);
    await ok(sim, ['ln', '-s', 'volume-1', '/gpfs0/vols/alias']);
    const lines = async (...argv: string[]): Promise<string[]> => (await ok(sim, argv)).stdout.split('\n').filter((line) => line !== '');
    expect(await lines('find', '/gpfs0/vols')).toEqual(['/gpfs0/vols', '/gpfs0/vols/group', '/gpfs0/vols/group/volume-3', '/gpfs0/vols/volume-1', '/gpfs0/vols/volume-2', '/gpfs0/vols/alias']);
    expect(await lines('find', '/gpfs0/vols', '-maxdepth', '1', '-type', 'f')).toEqual(['/gpfs0/vols/volume-1', '/gpfs0/vols/volume-2']);
    expect(await lines('find', '/gpfs0/vols', '-mindepth', '2', '-name', 'vol*')).toEqual(['/gpfs0/vols/group/volume-3']);
    expect(await lines('find', '/gpfs0/vols', '-type', 'l', '-o', '-name', '*-2')).toEqual(['/gpfs0/vols/volume-2', '/gpfs0/vols/alias']);
    expect(await lines('find', '/gpfs0/vols', '!', '-type', 'd', '-size', '+1k', '-printf', '%f %y %s %m\\n')).toEqual(['volume-3 f 1048576 644', 'volume-1 f 1048576 644', 'volume-2 f 1048576 644']);
    expect(await lines('find', '/gpfs0/vols', '-name', 'group', '-prune', '-o', '-type', 'f', '-print')).toEqual(['/gpfs0/vols/volume-1', '/gpfs0/vols/volume-2']);
    expect(await lines('find', '/gpfs0/vols', '-type', 'f', '-print', '-quit')).toEqual(['/gpfs0/vols/group/volume-3']);
    const nul = parseNulSeparated((await ok(sim, ['find', '/gpfs0/vols', '-maxdepth', '1', '-name', 'volume-*', '-print0'])).stdout)._unsafeUnwrap();
    expect(nul).toEqual(['/gpfs0/vols/volume-1', '/gpfs0/vols/volume-2']);
    const listing = parseFileListing((await ok(sim, ['find', '/gpfs0/vols', '-mindepth', '1', '-maxdepth', '1', '-printf', '%i %s %b %m %y %p\\0'])).stdout)._unsafeUnwrap();
    expect(listing.map((entry) => [entry.type, entry.path])).toEqual([
      ['d', '/gpfs0/vols/group'],
      ['f', '/gpfs0/vols/volume-1'],
      ['f', '/gpfs0/vols/volume-2'],
      ['l', '/gpfs0/vols/alias'],
    ]);
    expect(await root(sim, ['find', '/gpfs0/nothing'])).toMatchObject({ exitCode: 1, stderr: "find: '/gpfs0/nothing': No such file or directory\n" });
    expect(await root(sim, ['find', '/gpfs0', '-bogus'])).toMatchObject({ exitCode: 1, stderr: "find: unknown predicate '-bogus'\n" });
    expect((await root(sim, ['find', '/gpfs0', '-name'])).stderr).toBe("find: missing argument to '-name'\n");
    expect((await root(sim, ['find', '/gpfs0', '-maxdepth', 'x'])).exitCode).toBe(1);
  });

  it('reuses the printf format for extra arguments and handles %s, %d, escapes and NUL', async () => {
    const sim = createGpfsSimulator();
    expect((await ok(sim, ['printf', '%s\\0', 'a b', '$(x)', ''])).stdout).toBe('a b\0$(x)\0\0');
    expect((await ok(sim, ['printf', '%d-%s\\n', '1', 'x', '2'])).stdout).toBe('1-x\n2-\n');
    expect((await ok(sim, ['printf', 'plain'])).stdout).toBe('plain');
    expect((await ok(sim, ['printf', '%05d|%-4s|%x', '42', 'ab', '255'])).stdout).toBe('00042|ab  |ff');
    expect(await root(sim, ['printf', '%d', 'abc'])).toMatchObject({ exitCode: 1, stdout: '0', stderr: "printf: 'abc': expected a numeric value\n" });
    expect((await ok(sim, ['echo', '-n', 'a', 'b'])).stdout).toBe('a b');
    expect((await ok(sim, ['echo', 'x'])).stdout).toBe('x\n');
  });

  it('advances the virtual clock with sleep and rejects bad intervals', async () => {
    const sim = createGpfsSimulator();
    const before = sim.clock.elapsedMs();
    await ok(sim, ['sleep', '1.5', '1m']);
    expect(sim.clock.elapsedMs() - before).toBeGreaterThanOrEqual(61_500);
    expect((await root(sim, ['sleep', 'soon'])).stderr).toBe("sleep: invalid time interval 'soon'\nTry 'sleep --help' for more information.\n");
  });

  it('copies between files with dd if=, skip= and seek=, and reports usage errors', async () => {
    const sim = createGpfsSimulator();
    sim.control.seedFile({ path: '/gpfs0/in', content: '0123456789' })._unsafeUnwrap();
    await ok(sim, ['dd', 'if=/gpfs0/in', 'of=/gpfs0/out', 'bs=1', 'skip=2', 'count=3', 'seek=1', 'status=none']);
    expect(sim.inspect.readText('/gpfs0/out')._unsafeUnwrap()).toBe('\u0000234');
    expect((await ok(sim, ['dd', 'if=/gpfs0/in', 'bs=4', 'count=1', 'status=none'])).stdout).toBe('0123');
    expect((await root(sim, ['dd', 'if=/gpfs0/none', 'of=/gpfs0/x'])).stderr).toBe("dd: failed to open '/gpfs0/none': No such file or directory\n");
    expect((await root(sim, ['dd', 'bs=1Q'])).stderr).toBe("dd: invalid number: '1Q'\n");
    expect((await root(sim, ['dd', 'of'])).stderr).toBe("dd: unrecognized operand 'of'\nTry 'dd --help' for more information.\n");
    const sparse = await ok(sim, ['dd', 'if=/dev/zero', 'of=/gpfs0/sparse', 'bs=1M', 'count=8', 'conv=sparse', 'status=none']);
    expect(sparse.exitCode).toBe(0);
    expect(sim.inspect.file('/gpfs0/sparse')._unsafeUnwrap()).toMatchObject({ sizeBytes: 8 * 1024 ** 2, allocatedBytes: 0 });
  });
});
