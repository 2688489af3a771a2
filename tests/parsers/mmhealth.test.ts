import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmhealth } from '../../src/parsers/mmhealth.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmhealth/${name}`, import.meta.url), 'utf8');

describe('parsers: mmhealth -Y', () => {
  it('reads states and events with decoded timestamps', () => {
    const report = parseMmhealth(fixture('node-show-2017.txt'))._unsafeUnwrap();
    expect(report.state).toHaveLength(8);
    expect(report.state[0]).toEqual({
      node: 'nsd03.gastly.data',
      component: 'NODE',
      entityname: 'nsd03.gastly.data',
      entitytype: 'NODE',
      status: 'HEALTHY',
      laststatuschange: '2017-08-11 14:47:09.717896 CEST',
    });
    expect(report.state.filter((state) => state.status === 'DEGRADED').map((state) => state.entityname)).toEqual(['nsd03.gastly.data', 'kyukonhome']);
    expect(report.event).toEqual([
      {
        node: 'nsd03.gastly.data',
        component: 'FILESYSTEM',
        entityname: 'kyukonhome',
        entitytype: 'FILESYSTEM',
        event: 'unmounted_fs_check',
        arguments: 'kyukonhome',
        activesince: '2017-08-11 16:32:11.497114 CEST',
        identifier: 'kyukonhome',
        ishidden: false,
      },
    ]);
    expect(report.summary).toEqual([]);
  });

  it('names Event fields printed beyond a HEADER that ends at ishidden', () => {
    const report = parseMmhealth(fixture('event-extra-fields.txt'))._unsafeUnwrap();
    expect(report.event[0]).not.toHaveProperty('message');
    expect(report.event[1]).toMatchObject({
      event: 'cluster_connections_down',
      arguments: '10.22.51.57,1,1',
      ishidden: false,
      message: 'Connection to cluster node 10.22.51.57 has all 1 connection(s) down. (Maximum 1).',
      eventtype: 'STATE_CHANGE',
      severity: 'WARNING',
    });
    expect(report.event[1]).not.toHaveProperty('fullidentifier');
    expect(report.state[1]).toMatchObject({ entityname: 'mlx5_0/1', entitytype: 'IB_RDMA', status: 'FOO' });
  });

  it('reads the newest HEADER (lastcheck, message, fullidentifier)', () => {
    const report = parseMmhealth(fixture('newest-header.txt'))._unsafeUnwrap();
    expect(report.state.map((state) => state.lastcheck)).toEqual(['-', '2026-01-04 13:12:27']);
    expect(report.event[0]).toMatchObject({ severity: 'TIP', fullidentifier: '2924343654772276122/1/gpfs/tiebreaker/', ishidden: false });
  });

  it('reads an old HEADER without laststatuschange', () => {
    const report = parseMmhealth(fixture('old-header.txt'))._unsafeUnwrap();
    expect(report.state.map((state) => state.status)).toEqual(['FAILED', 'FAILED', 'DEGRADED']);
    expect(report.event.map((event) => [event.event, event.arguments])).toEqual([
      ['gpfs_down', ''],
      ['gpfsport_up', '1191,1191'],
    ]);
  });

  it('reads the cluster summary counts', () => {
    const report = parseMmhealth(fixture('cluster-summary.txt'))._unsafeUnwrap();
    expect(report.summary[2]).toEqual({ component: 'NETWORK', entityname: 'NETWORK', total: 4, failed: 0, degraded: 0, healthy: 4, other: 0 });
    expect(report.state).toEqual([]);
  });

  it('reports an ishidden value that is not yes or no with its line number', () => {
    expect(parseMmhealth(fixture('bad-ishidden.txt'))._unsafeUnwrapErr()).toMatchObject({ parser: 'parseMmhealth', line: 2 });
  });

  it('reports output without an mmhealth HEADER', () => {
    expect(parseMmhealth('')._unsafeUnwrapErr().message).toMatch(/no mmhealth HEADER/);
  });
});
