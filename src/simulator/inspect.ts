/**
 * The inspection API: files, clone forest, content, digests and a comparable state snapshot.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import { LOST_BLOCK, readRange } from './model/content.js';
import { allocatedBytes } from './model/allocation.js';
import { contentDigest } from './model/digest.js';
import { linkCount } from './model/inode.js';
import { filesetName } from './model/namespace.js';
import { resolvePath } from './model/paths.js';
import { detectFilesystemSignature, detectImageHeader } from './model/signatures.js';
import type { Filesystem, Inode } from './model/types.js';
import { usageOf } from './model/usage.js';
import { isMounted } from './model/world.js';
import type { Engine } from './engine.js';
import type { FilesystemStateInfo, ListFilesOptions, SimulatedCloneEntry, SimulatedFile, SimulatorInspector, SimulatorStateSnapshot } from './inspect-types.js';
import { simulatorError, type SimulatorError } from './simulator-error.js';

const MAX_READ_BYTES = 256 * 1024 * 1024;

interface Found {
  readonly inode: Inode;
  readonly path: string;
}

/**
 * Builds the inspection API over a simulator's state.
 *
 * @param engine - Simulator state.
 * @returns The API.
 */
export function createInspector(engine: Engine): SimulatorInspector {
  const walkAll = (includeSnapshots: boolean, includeUnlinked: boolean): Found[] => {
    const found: Found[] = [];
    const { world } = engine;
    walkTree(world.rootDisk.root, '/', found, (path, inode) => inode.fs === world.rootDisk || path === '/');
    for (const fs of world.gpfs) {
      walkTree(fs.root, fs.mountPoint, found, () => true);
      if (includeUnlinked) for (const fileset of fs.filesets.values()) if (fileset.status === 'Unlinked') walkTree(fileset.root, `<${fs.device}:unlinked:${fileset.name}>`, found, () => true);
      if (includeSnapshots) {
        for (const snapshot of fs.snapshots) {
          const base = snapshot.filesetName === null ? fs.mountPoint : (fs.filesets.get(snapshot.filesetName)?.junctionPath ?? `<${fs.device}:${snapshot.filesetName}>`);
          walkTree(snapshot.root, `${base}/.snapshots/${snapshot.name}`, found, () => true);
        }
      }
    }
    return found;
  };
  const pathIndex = (): Map<Inode, string> => {
    const index = new Map<Inode, string>();
    for (const entry of walkAll(true, true)) if (!index.has(entry.inode)) index.set(entry.inode, entry.path);
    return index;
  };
  const describeAll = (found: readonly Found[], digests: boolean): SimulatedFile[] => {
    const paths = pathIndex();
    return found.map((entry) => describe(entry, paths, digests)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  };
  const lookupFile = (path: string): Result<Found, SimulatorError> => {
    if (typeof path !== 'string' || !path.startsWith('/')) return err(simulatorError('InvalidArgument', `expected an absolute path, got ${JSON.stringify(path)}`));
    const resolved = resolvePath(engine.world, path, '/');
    if (!resolved.ok || resolved.node === null) return err(simulatorError('NotFound', `no such file: ${path}`, path));
    return ok({ inode: resolved.node, path: resolved.path });
  };
  return {
    files(options: ListFilesOptions = {}): readonly SimulatedFile[] {
      const under = options.under?.replace(/\/+$/, '') ?? null;
      const found = walkAll(options.includeSnapshots === true, false).filter((entry) => {
        if (options.device !== undefined && entry.inode.fs.device !== options.device) return false;
        if (under !== null && under !== '' && entry.path !== under && !entry.path.startsWith(`${under}/`)) return false;
        return true;
      });
      return describeAll(found, options.digests === true);
    },
    file(path: string): Result<SimulatedFile, SimulatorError> {
      return lookupFile(path).map((found) => describe(found, pathIndex(), true));
    },
    readContent(path, range = {}): Result<Uint8Array, SimulatorError> {
      return lookupFile(path).andThen((found) => {
        if (found.inode.type !== 'file') return err(simulatorError('InvalidArgument', `not a regular file: ${path}`, path));
        const offset = range.offset ?? 0;
        const length = range.length ?? found.inode.sizeBytes - offset;
        if (length > MAX_READ_BYTES) return err(simulatorError('InvalidArgument', `refusing to read ${length} bytes at once (at most ${MAX_READ_BYTES})`, path));
        const bytes = readRange(found.inode, offset, Math.max(0, length));
        return bytes === LOST_BLOCK ? err(simulatorError('InvalidState', `input/output error reading ${path}: its clone parent's snapshot was deleted`, path)) : ok(bytes);
      });
    },
    readText(path): Result<string, SimulatorError> {
      return this.readContent(path).map((bytes) => new TextDecoder().decode(bytes));
    },
    digest(path): Result<string, SimulatorError> {
      return lookupFile(path).andThen((found) => {
        if (found.inode.type !== 'file') return err(simulatorError('InvalidArgument', `not a regular file: ${path}`, path));
        const digest = contentDigest(found.inode);
        return digest === LOST_BLOCK ? err(simulatorError('InvalidState', `input/output error reading ${path}`, path)) : ok(digest);
      });
    },
    cloneForest(device?: string): readonly SimulatedCloneEntry[] {
      const entries: SimulatedCloneEntry[] = [];
      const seen = new Set<Inode>();
      for (const found of walkAll(true, true)) {
        const inode = found.inode;
        if (seen.has(inode) || inode.type !== 'file' || inode.fs.kind !== 'gpfs') continue;
        if (device !== undefined && inode.fs.device !== device) continue;
        if (inode.cloneChildren === null && inode.cloneParent === null) continue;
        seen.add(inode);
        entries.push({ path: found.path, inode: inode.ino, isParent: inode.cloneChildren !== null, depth: inode.cloneDepth, parentInode: inode.cloneParent?.ino ?? null, device: inode.fs.device });
      }
      return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
    },
    localDiskWrites(): readonly SimulatedFile[] {
      const rootDisk = engine.world.rootDisk;
      return describeAll(
        walkAll(false, false).filter((entry) => entry.inode.fs === rootDisk && entry.inode.changed && entry.path !== '/'),
        true,
      );
    },
    mounts() {
      return engine.world.gpfs.map((fs) => ({ device: fs.device, mountPoint: fs.mountPoint, mounted: fs.mounted, effective: isMounted(engine.world, fs) }));
    },
    snapshotState(): SimulatorStateSnapshot {
      const { world } = engine;
      const found = walkAll(true, true).filter((entry) => entry.inode.fs.kind === 'gpfs' || (entry.inode.changed && entry.path !== '/'));
      return {
        cluster: { name: world.cluster.name, id: world.cluster.id, nodes: world.cluster.nodes.map((node) => ({ name: node.name, state: node.state })) },
        filesystems: world.gpfs.map((fs) => filesystemState(fs)),
        files: describeAll(found, true),
      };
    },
    internalErrors(): readonly string[] {
      return [...engine.internalErrors];
    },
  };
}

// --- Internal helpers ---

function walkTree(top: Inode, topPath: string, found: Found[], keep: (path: string, inode: Inode) => boolean): void {
  const stack: Found[] = [{ inode: top, path: topPath }];
  while (stack.length > 0) {
    const entry = stack.pop() as Found;
    if (!keep(entry.path, entry.inode)) continue;
    found.push(entry);
    if (entry.inode.entries === null) continue;
    const children = [...entry.inode.entries].reverse();
    for (const [name, child] of children) stack.push({ inode: child, path: entry.path === '/' ? `/${name}` : `${entry.path}/${name}` });
  }
}

function filesystemState(fs: Filesystem): FilesystemStateInfo {
  return {
    device: fs.device,
    mountPoint: fs.mountPoint,
    mounted: fs.mounted,
    usedBytes: usageOf(fs).usedBytes,
    filesets: [...fs.filesets.values()]
      .sort((a, b) => a.id - b.id)
      .map((fileset) => ({ name: fileset.name, id: fileset.id, status: fileset.status, junctionPath: fileset.junctionPath, independent: fileset.independent, rootInode: fileset.root.ino })),
    snapshots: fs.snapshots.map((snapshot) => ({ name: snapshot.name, id: snapshot.id, fileset: snapshot.filesetName })),
  };
}

function describe(found: Found, paths: Map<Inode, string>, withDigest: boolean): SimulatedFile {
  const { inode } = found;
  const attributes = inode.attributes;
  const isClone = inode.cloneChildren !== null || inode.cloneParent !== null;
  const imageFormat = inode.type === 'file' ? (detectImageHeader(inode) === null ? 'raw' : 'qcow2') : null;
  const file: SimulatedFile = {
    path: found.path,
    device: inode.fs.device,
    filesystem: inode.fs.kind,
    type: inode.type === 'dir' ? 'directory' : inode.type,
    inode: inode.ino,
    sizeBytes: inode.sizeBytes,
    allocatedBytes: allocatedBytes(inode),
    mode: inode.mode,
    uid: inode.uid,
    gid: inode.gid,
    links: linkCount(inode),
    pool: attributes?.pool ?? null,
    fileset: attributes === null ? null : filesetName(inode.fs, attributes.filesetId),
    dataReplicas: attributes?.dataReplicas ?? null,
    metadataReplicas: attributes?.metadataReplicas ?? null,
    clone: isClone
      ? {
          isParent: inode.cloneChildren !== null,
          depth: inode.cloneDepth,
          parentInode: inode.cloneParent?.ino ?? null,
          parentPath: inode.cloneParent === null ? null : (paths.get(inode.cloneParent) ?? null),
          children: inode.cloneChildren?.size ?? 0,
        }
      : null,
    snapshot: inode.snapshot?.name ?? null,
    filesystemSignature: inode.type === 'file' ? detectFilesystemSignature(inode) : null,
    imageFormat,
    symlinkTarget: inode.symlinkTarget,
  };
  if (!withDigest) return file;
  const digest = inode.type === 'file' ? contentDigest(inode) : null;
  return { ...file, digest: digest === LOST_BLOCK ? null : digest };
}
