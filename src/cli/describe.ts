/**
 * Short descriptions for people: targets and snapshot references (`<volume>@<snapshot>`).
 *
 * @module
 */
import type { SnapshotRef, VolumeRef } from '../driver/types.js';
import type { Target } from './common-options.js';

/**
 * A volume, or a snapshot of one, as named on the command line.
 *
 * @example
 * ```ts
 * const reference: ObjectReference = { kind: 'snapshot', snapshot: { name: 's1', volumeName: 'v1' } };
 * ```
 */
export type ObjectReference = { readonly kind: 'volume'; readonly volume: VolumeRef } | { readonly kind: 'snapshot'; readonly snapshot: SnapshotRef };

/**
 * Describes a target.
 *
 * @param target - The target.
 * @returns E.g. `gpfs-sim state /tmp/sim` or `ssh cinder@node1:22`.
 */
export function describeTarget(target: Target): string {
  if (target.kind === 'sim') return `gpfs-sim state ${target.stateDirectory}`;
  const hosts = target.hosts.map((entry) => `${entry.host}:${entry.port ?? target.port ?? 22}`).join(',');
  return `ssh ${target.username}@${hosts}`;
}

/**
 * Reads `<volume>` or `<volume>@<snapshot>` (`@` is never part of a valid name, so the split is exact;
 * the driver validates both names).
 *
 * @param text - The argument.
 * @param groupId - The group, from `--group`.
 * @returns The reference.
 */
export function parseObjectReference(text: string, groupId: string | undefined): ObjectReference {
  const group = groupId === undefined ? {} : { groupId };
  const at = text.indexOf('@');
  if (at === -1) return { kind: 'volume', volume: { name: text, ...group } };
  return { kind: 'snapshot', snapshot: { volumeName: text.slice(0, at), name: text.slice(at + 1), ...group } };
}

/**
 * Names a snapshot for people.
 *
 * @param snapshot - The snapshot.
 * @returns `<volume>@<snapshot>`.
 */
export function snapshotLabel(snapshot: SnapshotRef): string {
  return `${snapshot.volumeName}@${snapshot.name}`;
}
