import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlscluster } from '../../src/parsers/mmlscluster.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlscluster/${name}`, import.meta.url), 'utf8');

describe('parsers: mmlscluster -Y', () => {
  it('reads the cluster summary and nodes, keeping the 64-bit cluster id as a string', () => {
    const report = parseMmlscluster(fixture('install-toolkit.txt'))._unsafeUnwrap();
    expect(report.clusterSummary).toEqual([
      {
        clusterName: 'cluster.domain.com',
        clusterId: '2936932203756487754',
        uidDomain: 'cluster.domain.com',
        rshPath: '/usr/bin/ssh',
        rshSudoWrapper: 'no',
        rcpPath: '/usr/bin/scp',
        rcpSudoWrapper: 'no',
        repositoryType: 'CCR',
        primaryServer: 'server-1.domain.com',
        secondaryServer: '',
      },
    ]);
    expect(report.clusterNode.map((node) => [node.nodeNumber, node.daemonNodeName, node.ipAddress, node.designation, node.otherNodeRolesAlias])).toEqual([
      [1, 'server-1.domain.com', '10.0.0.1', 'quorum', 'perfmon'],
      [2, 'server-3.domain.com', '10.0.0.4', 'quorumManager', 'perfmon'],
      [3, 'server-4.domain.com', '10.0.0.4', 'quorumManager', 'perfmon'],
      [4, 'server-2.domain.com', '10.0.0.2', '', 'perfmon'],
    ]);
    expect(report.cesNode).toEqual([]);
    expect(report.cnfsNode).toEqual([]);
    expect(report.cloudGatewayNode).toEqual([]);
    expect(report.otherRecords).toEqual({ cnfsSummary: [], cesSummary: [] });
  });

  it('reads CES nodes and keeps the CES summary in otherRecords, decoded', () => {
    const report = parseMmlscluster(fixture('ces.txt'))._unsafeUnwrap();
    expect(report.clusterSummary[0]).toMatchObject({ clusterName: 'gpfs-sim.example.com', clusterId: '13882361916354541312', rshPath: '/usr/bin/ssh' });
    expect(report.cesNode).toEqual([{ nodeNumber: 2, daemonNodeName: 'ces1', ipAddress: '10.0.0.21', cesGroup: '', cesState: 'e', cesIpList: '10.0.1.1,10.0.1.2' }]);
    expect(report.otherRecords['cesSummary']).toEqual([{ cesSharedRoot: '/gpfs0/.ces', EnabledServices: 'NFS,SMB', logLevel: '0', addressPolicy: 'even-coverage' }]);
  });

  it('gives empty groups when only HEADER lines are printed', () => {
    const report = parseMmlscluster(fixture('headers-only.txt'))._unsafeUnwrap();
    expect([report.clusterSummary, report.clusterNode, report.cesNode]).toEqual([[], [], []]);
  });

  it('reports a node number that is not a number with its line number', () => {
    const text = fixture('install-toolkit.txt').replace(':::3:server-4', ':::three:server-4');
    expect(parseMmlscluster(text)._unsafeUnwrapErr()).toMatchObject({ parser: 'parseMmlscluster', line: 11 });
  });

  it('reports output without an mmlscluster HEADER', () => {
    expect(parseMmlscluster('mmlscluster: This node does not belong to a GPFS cluster.\n')._unsafeUnwrapErr().message).toMatch(/no mmlscluster HEADER/);
  });
});
