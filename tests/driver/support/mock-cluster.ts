/**
 * A mock runner scripted with what a healthy cluster prints for the driver's setup, for exact-command
 * tests; each test overrides the replies it is about.
 */
import { createMockRunner, type MockRunner } from '../../../src/runners/mock.js';
import type { MockScript } from '../../../src/runners/mock-script.js';

export interface MockClusterOptions {
  readonly state?: string;
  readonly clusterLevel?: string;
  readonly formatVersion?: string;
  readonly baseFileset?: string;
  readonly imagesFileset?: string;
  readonly encryption?: string;
  readonly pools?: readonly string[];
  readonly filesystemIds?: readonly [string, string];
  /** Scripts tried before the healthy defaults. */
  readonly overrides?: readonly MockScript[];
}

export function mmgetstateOutput(state: string): string {
  return [
    'mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:state:quorum:nodesUp:totalNodes:remarks:cnfsState:',
    `mmgetstate::0:1:::node1:1:${state}:1:1:1:quorum node:(undefined):`,
    '',
  ].join('\n');
}

export function mmlsconfigOutput(parameter: string, value: string, ...more: readonly (readonly [string, string])[]): string {
  const rows = [[parameter, value] as const, ...more].map(([name, text]) => `mmlsconfig::0:1:::${name}:${text}::\n`);
  return `mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList:\n${rows.join('')}`;
}

export function mmlsattrOutput(path: string, fileset: string): string {
  return [
    `file name:            ${path}`,
    'metadata replication: 1 max 2',
    'data replication:     1 max 2',
    'immutable:            no',
    'appendOnly:           no',
    'flags:',
    'storage pool name:    system',
    `fileset name:         ${fileset}`,
    'snapshot name:',
    'creation time:        Wed Mar  9 10:08:00 2022',
    'Misc attributes:      DIRECTORY',
    'Encrypted:            no',
    '',
  ].join('\n');
}

export function dfOutput(device: string, mountPoint: string): string {
  return `Filesystem 1-blocks Used Available Capacity Mounted on\n${device} 10995116277760 1099511627776 9895604649984 10% ${mountPoint}\n`;
}

export function mmlspoolOutput(mountPoint: string, pools: readonly string[]): string {
  return [
    `Storage pools in file system at '${mountPoint}':`,
    'Name                    Id   BlkSize Data Meta Total Data in (KB)   Free Data in (KB)   Total Meta in (KB)    Free Meta in (KB)',
    ...pools.map((pool, index) => `${pool.padEnd(20)} ${String(index).padStart(5)}      4 MB  yes  yes       10485760        9953792 ( 95%)       10485760        9954560 ( 95%)`),
    '',
  ].join('\n');
}

export function mmlsfsOutput(device: string, field: string, data: string, ...more: readonly (readonly [string, string])[]): string {
  const rows = [[field, data] as const, ...more].map(([name, text]) => `mmlsfs::0:1:::${device}:${name}:${text}::\n`);
  return `mmlsfs::HEADER:version:reserved:reserved:deviceName:fieldName:data:remarks:\n${rows.join('')}`;
}

/** A non-strict mock: commands nobody scripted succeed silently (and are recorded). */
export function createMockCluster(options: MockClusterOptions = {}): MockRunner {
  const pools = options.pools ?? ['system'];
  return createMockRunner({ name: 'mock-cluster', scripts: options.overrides ?? [] })
    .on(['mmgetstate', '-Y'], { stdout: mmgetstateOutput(options.state ?? 'active') })
    .on(['mmlsconfig', 'clusterId', '-Y'], { stdout: mmlsconfigOutput('clusterId', '13882361916354541312') })
    .on(['mmlsconfig', 'clusterId,clusterName', '-Y'], { stdout: mmlsconfigOutput('clusterId', '13882361916354541312', ['clusterName', 'gpfs-sim.example.com']) })
    .on(['mmlsconfig', 'minreleaseLeveldaemon', '-Y'], { stdout: mmlsconfigOutput('minreleaseLeveldaemon', options.clusterLevel ?? '1504') })
    .on({ prefix: ['df', '-P', '-B', '1'] }, (command) => ({ stdout: dfOutput('/dev/gpfs0', command.argv[4] === '/gpfs0/images' ? '/gpfs0' : '/gpfs0') }))
    .on({ prefix: ['mmlsattr', '-L'] }, (command) => {
      const path = command.argv[2] ?? '';
      const fileset = path.includes('images') ? (options.imagesFileset ?? 'root') : (options.baseFileset ?? 'root');
      return { stdout: mmlsattrOutput(path, fileset) };
    })
    .on({ prefix: ['stat', '-f', '-c', '%i'] }, { stdout: `${(options.filesystemIds ?? ['ef0009600000002', 'ef0009600000002']).join('\n')}\n` })
    .on(['mmlsfs', 'gpfs0', '-V', '-Y'], { stdout: mmlsfsOutput('gpfs0', 'filesystemVersion', options.formatVersion ?? '22.00 (5.0.4.0)') })
    .on(['mmlsfs', 'gpfs0', '-V', '--encryption', '-Y'], {
      stdout: mmlsfsOutput('gpfs0', 'filesystemVersion', options.formatVersion ?? '22.00 (5.0.4.0)', ['encryption', options.encryption ?? 'No']),
    })
    .on(
      (command) => command.argv[0] === 'mmlspool',
      (command) =>
        command.argv[2] === 'all' || pools.includes(command.argv[2] ?? '')
          ? {
              stdout: mmlspoolOutput(
                '/gpfs0',
                pools.filter((pool) => command.argv[2] === 'all' || pool === command.argv[2]),
              ),
            }
          : { exitCode: 1, stderr: `mmlspool: Storage pool ${command.argv[2] ?? ''} not found.\n` },
    );
}
