/**
 * Scripting with the parsers: `npx tsx examples/parsers.ts`
 *
 * The parsers are pure functions `(text) => Result<T, ParseError>` over what the mm* commands print.
 * They load neither zx nor ssh2 and never throw, so they fit in any script or monitoring job. Here
 * they read sample outputs kept in literal strings (in a script the text comes from
 * `runner.run({ argv: ['mmlsfileset', 'gpfs0', '-Y'], asRoot: true })`, as the last part shows),
 * print what they found, and show how an error points at the line of the input that broke it.
 */
import {
  createGpfsSimulator,
  formatError,
  parseFilesystemFormatVersion,
  parseMachineReadable,
  parseMmcloneShow,
  parseMmlsattr,
  parseMmlsfileset,
  parseMmlsfs,
  parseMmlspool,
  type ParseError,
} from 'gpfs-volumes';
import type { Result } from 'neverthrow';

// `mmlsfs gpfs0 -Y`: one row per attribute (a subset here).
const mmlsfsOutput = `mmlsfs::HEADER:version:reserved:reserved:deviceName:fieldName:data:remarks:
mmlsfs::0:1:::gpfs0:blockSize:4194304::
mmlsfs::0:1:::gpfs0:defaultDataReplicas:1::
mmlsfs::0:1:::gpfs0:maxDataReplicas:2::
mmlsfs::0:1:::gpfs0:filesystemVersion:22.00 (5.0.4.0)::
mmlsfs::0:1:::gpfs0:defaultMountPoint:%2Fgpfs0::
mmlsfs::0:1:::gpfs0:encryption:No::
`;

// `mmlsfileset gpfs0 -Y`: paths and dates are %-encoded; recent releases print more fields than the HEADER.
const mmlsfilesetOutput = `mmlsfileset::HEADER:version:reserved:reserved:filesystemName:filesetName:id:rootInode:status:path:parentId:created:inodes:dataInKB:comment:
mmlsfileset::0:1:::gpfs0:root:0:3:Linked:%2Fgpfs0:--:Wed May 18 10%3A41%3A35 2016:-:-:root fileset:
mmlsfileset::0:1:::gpfs0:cinder-vols:1:524291:Linked:%2Fgpfs0%2Fvols:0:Tue Jun 28 07%3A08%3A46 2016:-:-::-:-:
mmlsfileset::0:1:::gpfs0:scratch:2:1048579:Unlinked:%2D%2D:0:Thu Mar  2 12%3A00%3A00 2023:-:-:to be deleted%3A ask first:
`;

// `mmclone show <file>...`: a fixed-width table (no -Y); file names may hold spaces.
const mmcloneShowOutput = `Parent  Depth   Parent inode   File name
------  -----  --------------  ---------
   yes      0                  /gpfs0/vols/golden.img
    no      1          148488  /gpfs0/vols/vm 1.img
    no      1          148488  /gpfs0/vols/vm-2.img
    no                         /gpfs0/vols/scratch.img
`;

// `mmlsattr -L <file>...`: one labelled block per file.
const mmlsattrOutput = `file name:            /gpfs0/vols/vm-2.img
metadata replication: 2 max 2
data replication:     1 max 3
immutable:            no
appendOnly:           no
flags:                illreplicated
storage pool name:    nvme
fileset name:         cinder-vols
snapshot name:
creation time:        Wed Mar  9 10:08:00 2022
Misc attributes:      ARCHIVE COMPRESSION (library z)
Encrypted:            no
`;

// `mmlspool gpfs0 all`: a table with sizes in KB.
const mmlspoolOutput = `Storage pools in file system at '/gpfs0':
Name                    Id   BlkSize Data Meta Total Data in (KB)   Free Data in (KB)   Total Meta in (KB)    Free Meta in (KB)
system                   0      4 MB   no  yes              0              0 (  0%)      524288000      419430400 ( 80%)
nvme                 65537      4 MB  yes   no     4294967296     1073741824 ( 25%)              0              0 (  0%)
`;

// Any -Y output, even of a command without a typed parser (here `mmlsnsd -Y`), reads as tables.
const mmlsnsdOutput = `mmlsnsd::HEADER:version:reserved:reserved:fileSystem:diskName:volumeId:serverList:
mmlsnsd::0:1:::gpfs0:nsd1:C0A8000A5F3D2E11:node1.example.com%2Cnode2.example.com:
mmlsnsd::0:1:::gpfs0:nsd2:C0A8000A5F3D2E12:node2.example.com%2Cnode1.example.com:
`;

/** Prints a parse error with the offending line of the input marked. */
function explain(input: string, error: ParseError): void {
  console.log(`  ${formatError(error)}`);
  const lines = input.split('\n');
  const at = error.line ?? 0;
  for (let number = Math.max(1, at - 1); number <= Math.min(lines.length, at + 1); number++) {
    console.log(`  ${number === at ? '>' : ' '} ${String(number).padStart(3)} | ${(lines[number - 1] ?? '').slice(0, 100)}`);
  }
}

let failures = 0;
function section<T>(title: string, result: Result<T, ParseError>, print: (value: T) => void): void {
  console.log(`\n## ${title}`);
  if (result.isOk()) print(result.value);
  else {
    failures++;
    console.log(`  unexpected: ${formatError(result.error)}`);
  }
}

section('mmlsfs gpfs0 -Y', parseMmlsfs(mmlsfsOutput), (records) => {
  const attributes = new Map(records.map((record) => [record.fieldName, record.data]));
  console.log(
    `  block size ${Number(attributes.get('blockSize')) / 2 ** 20} MiB, data replicas ${attributes.get('defaultDataReplicas')} of at most ${attributes.get('maxDataReplicas')}, mounted at ${attributes.get('defaultMountPoint')} (decoded)`,
  );
  const version = parseFilesystemFormatVersion(attributes.get('filesystemVersion') ?? '');
  if (version.isOk())
    console.log(
      `  format ${version.value.major}.${version.value.minor} = level ${version.value.level} (release ${version.value.release}); file clones need 1200: ${version.value.level >= 1200 ? 'yes' : 'no'}`,
    );
});

section('mmlsfileset gpfs0 -Y', parseMmlsfileset(mmlsfilesetOutput), (filesets) => {
  for (const fileset of filesets) {
    console.log(
      `  ${fileset.filesetName.padEnd(12)} id ${String(fileset.id).padEnd(2)} ${fileset.status.padEnd(9)} ${fileset.path.padEnd(12)} created ${fileset.created}${fileset.comment ? `  "${fileset.comment}"` : ''}`,
    );
  }
});

section('mmclone show', parseMmcloneShow(mmcloneShowOutput), (rows) => {
  for (const row of rows) {
    const role = row.isParent ? 'clone parent' : row.parentInode !== null ? `clone of inode ${row.parentInode}, depth ${row.depth}` : 'not a clone';
    console.log(`  ${row.fileName.padEnd(26)} ${role}`);
  }
});

section('mmlsattr -L', parseMmlsattr(mmlsattrOutput), (records) => {
  for (const record of records) {
    console.log(
      `  ${record.fileName}: pool ${record.storagePoolName}, fileset ${record.filesetName}, data replicas ${record.dataReplication.current}/${record.dataReplication.max}, flags [${record.flags.join(', ')}], misc [${record.miscAttributes.join(', ')}]`,
    );
  }
});

section('mmlspool gpfs0 all', parseMmlspool(mmlspoolOutput), (output) => {
  for (const pool of output.pools.filter((candidate) => candidate.data)) {
    console.log(`  data pool ${pool.name}: ${((pool.totalDataKB - pool.freeDataKB) / 2 ** 30).toFixed(1)} of ${(pool.totalDataKB / 2 ** 30).toFixed(1)} TiB used`);
  }
});

section('mmlsnsd -Y (generic -Y reader)', parseMachineReadable(mmlsnsdOutput), (tables) => {
  for (const table of tables) {
    console.log(`  ${table.command}: columns ${table.columns.join(', ')}`);
    for (const [index, row] of table.rows.entries()) console.log(`    line ${table.rowLines[index]}: ${row['diskName']} served by ${row['serverList']}`);
  }
});

// Errors point at the line: a row with a column missing, a header cut short, a label without a value.
console.log('\n## errors point at the line that broke');
const broken: { readonly title: string; readonly input: string; readonly parse: (text: string) => Result<unknown, ParseError> }[] = [
  { title: 'mmlsfileset row with the rootInode column missing', input: mmlsfilesetOutput.replace(':524291:Linked:', ':Linked:'), parse: parseMmlsfileset },
  {
    title: 'mmclone show with a garbled Parent column',
    input: mmcloneShowOutput.replace('    no      1          148488  /gpfs0/vols/vm-2', '  mayb      1          148488  /gpfs0/vols/vm-2'),
    parse: parseMmcloneShow,
  },
  { title: 'mmlsattr -L with an unreadable replication value', input: mmlsattrOutput.replace('data replication:     1 max 3', 'data replication:     one max 3'), parse: parseMmlsattr },
];
for (const { title, input, parse } of broken) {
  console.log(`${title}:`);
  const result = parse(input);
  if (result.isErr()) explain(input, result.error);
  else {
    failures++;
    console.log('  unexpected: it parsed');
  }
}

// In a script, the text comes from a runner; here the built-in simulator answers like a cluster.
console.log('\n## from a runner: mmlsfileset gpfs0 -Y on the simulator');
const sim = createGpfsSimulator();
const output = await sim.run({ argv: ['mmlsfileset', 'gpfs0', '-Y'], asRoot: true });
const live = output.isOk() ? parseMmlsfileset(output.value.stdout) : null;
if (live?.isOk()) for (const fileset of live.value) console.log(`  ${fileset.filesetName} ${fileset.status} at ${fileset.path}`);
else failures++;

if (failures > 0) {
  console.error(`\n${failures} unexpected result(s)`);
  process.exit(1);
}
