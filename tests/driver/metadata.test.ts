import { describe, expect, it } from 'vitest';
import { mkfsArgv, volumeAttributes } from '../../src/driver/metadata.js';

describe('driver: volume metadata', () => {
  it('maps every seed key to mmchattr options, pool first from the default', () => {
    const attributes = volumeAttributes({ replicas: '2', dio: 'yes', write_affinity_depth: '1', block_group_factor: '128', write_affinity_failure_group: '1,0,1;2,0,1' }, 'system')._unsafeUnwrap();
    expect(attributes.mmchattrOptions).toEqual([
      '-P',
      'system',
      '-r',
      '2',
      '-m',
      '2',
      '-D',
      'yes',
      '--write-affinity-depth',
      '1',
      '--block-group-factor',
      '128',
      '--write-affinity-failure-group',
      '1,0,1;2,0,1',
    ]);
    expect(attributes.fstype).toBeNull();
  });

  it('gives data_pool_name precedence over the default pool', () => {
    expect(volumeAttributes({ data_pool_name: 'fast' }, 'system')._unsafeUnwrap().mmchattrOptions).toEqual(['-P', 'fast']);
  });

  it('ignores keys it does not know', () => {
    expect(volumeAttributes({ owner: 'team a; rm -rf /' }, null)._unsafeUnwrap().mmchattrOptions).toEqual([]);
  });

  // cinder-gpfs-driver.md E.8 item 13: values reached a root shell unchecked.
  it.each([
    ['replicas', '*'],
    ['replicas', '4'],
    ['replicas', '2 -m 1'],
    ['dio', 'yes;id'],
    ['dio', 'Yes'],
    ['data_pool_name', '{system,-i,yes,/gpfs/other/volume-x}'],
    ['data_pool_name', '-P'],
    ['data_pool_name', 'a#b'],
    ['write_affinity_depth', '3'],
    ['block_group_factor', '0'],
    ['block_group_factor', '1025'],
    ['write_affinity_failure_group', '1,2,3,4'],
    ['write_affinity_failure_group', '1;2;3;4'],
    ['write_affinity_failure_group', '1\n2'],
    ['fstype', 'ext4 -O'],
    ['fstype', 'zfs'],
  ])('refuses %s=%j before any command', (key, value) => {
    const error = volumeAttributes({ [key]: value }, 'system')._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'InvalidMetadata', key, value });
  });

  it('refuses a label that is too long for its file system, or without a file system', () => {
    expect(volumeAttributes({ fstype: 'vfat', fslabel: 'ABCDEFGHIJKL' }, null)._unsafeUnwrapErr().key).toBe('fslabel');
    expect(volumeAttributes({ fstype: 'ext4', fslabel: '-L' }, null)._unsafeUnwrapErr().key).toBe('fslabel');
    expect(volumeAttributes({ fslabel: 'data' }, null)._unsafeUnwrapErr().key).toBe('fslabel');
  });

  it('refuses non-string values and non-object metadata without throwing', () => {
    expect(volumeAttributes({ replicas: 2 as unknown as string }, null)._unsafeUnwrapErr().kind).toBe('InvalidMetadata');
    expect(volumeAttributes(['a'] as unknown as Record<string, string>, null)._unsafeUnwrapErr().kind).toBe('InvalidMetadata');
  });

  it.each([
    ['ext4', 'data', ['mkfs', '-t', 'ext4', '-F', '-L', 'data', '/gpfs0/v']],
    ['ext3', null, ['mkfs', '-t', 'ext3', '-F', '/gpfs0/v']],
    ['xfs', 'x', ['mkfs', '-t', 'xfs', '-L', 'x', '/gpfs0/v']],
    ['vfat', 'BOOT', ['mkfs', '-t', 'vfat', '-n', 'BOOT', '/gpfs0/v']],
    ['msdos', null, ['mkfs', '-t', 'msdos', '/gpfs0/v']],
    ['swap', 'sw', ['mkswap', '-L', 'sw', '/gpfs0/v']],
  ] as const)('builds mkfs for %s with the seed flag rules', (fstype, label, argv) => {
    expect(mkfsArgv(fstype, label, '/gpfs0/v')).toEqual(argv);
  });
});
