/**
 * The control API: mount and unmount file systems, set node states, seed files and directories.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import { truncateTo, writeBytes, writeZeros } from './model/content.js';
import { createEntry, ensureDirectories, markChanged, ROOT } from './model/namespace.js';
import { absolutePath, resolvePath } from './model/paths.js';
import { qcow2Header, QCOW2_DATA_OFFSET } from './model/signatures.js';
import type { Inode, NodeState } from './model/types.js';
import { findFilesystem, refreshMounts } from './model/world.js';
import type { Engine } from './engine.js';
import type { SimulatorNodeState } from './options-types.js';
import { simulatorError, type SimulatorError } from './simulator-error.js';

/** A file to create before a test runs. */
export interface SeedFileSpec {
  /** Absolute path; missing parent directories are created (root-owned, mode 0755). */
  readonly path: string;
  /** Content written from offset 0 (for an image: the guest content). @defaultValue none */
  readonly content?: string | Uint8Array;
  /** File size (for an image: the virtual size); beyond the content it is a hole unless `allocate` says otherwise. @defaultValue the content length */
  readonly sizeBytes?: number;
  /** `'sparse'` leaves the rest a hole; `'zeros'` allocates it as written zeros (like a dd zero fill). @defaultValue 'sparse' */
  readonly allocate?: 'sparse' | 'zeros';
  /** Image format: `qcow2` writes a qcow2 header with the guest content behind it. @defaultValue 'raw' */
  readonly imageFormat?: 'raw' | 'qcow2';
  /** Permission bits. @defaultValue 0o644 */
  readonly mode?: number;
  /** Owner. @defaultValue 0 */
  readonly uid?: number;
  /** Group. @defaultValue 0 */
  readonly gid?: number;
  /** Replace an existing file. @defaultValue false */
  readonly overwrite?: boolean;
}

/** The control API of a simulator. */
export interface SimulatorControl {
  /**
   * Mounts a GPFS file system on the local node.
   *
   * @param device - Device name.
   * @returns `NotFound` for an unknown device.
   */
  mount(device: string): Result<void, SimulatorError>;
  /**
   * Unmounts a GPFS file system: its mount point then shows the root disk.
   *
   * @param device - Device name.
   * @returns `NotFound` for an unknown device.
   */
  unmount(device: string): Result<void, SimulatorError>;
  /**
   * Sets a node's daemon state. When the local (first) node is not active, its file systems are not
   * mounted and GPFS commands fail.
   *
   * @param node - Node name.
   * @param state - New state.
   * @returns `NotFound` for an unknown node.
   */
  setNodeState(node: string, state: SimulatorNodeState): Result<void, SimulatorError>;
  /**
   * Creates a file with content, size, mode and owner (and optionally a qcow2 image header).
   *
   * @param spec - What to create.
   * @returns The inode number.
   */
  seedFile(spec: SeedFileSpec): Result<number, SimulatorError>;
  /**
   * Creates a directory and any missing parents.
   *
   * @param path - Absolute path.
   * @param options - Mode and owner of the last directory.
   * @returns The inode number.
   */
  mkdir(path: string, options?: { readonly mode?: number; readonly uid?: number; readonly gid?: number }): Result<number, SimulatorError>;
}

const NODE_STATES: readonly NodeState[] = ['active', 'arbitrating', 'down', 'unknown', 'unresponsive'];

/**
 * Builds the control API.
 *
 * @param engine - Simulator state.
 * @returns The API.
 */
export function createControl(engine: Engine): SimulatorControl {
  const setMounted = (device: string, mounted: boolean): Result<void, SimulatorError> => {
    const fs = typeof device === 'string' ? findFilesystem(engine.world, device) : undefined;
    if (fs === undefined) return err(simulatorError('NotFound', `no GPFS file system ${String(device)}`));
    fs.mounted = mounted;
    refreshMounts(engine.world);
    return ok(undefined);
  };
  const directory = (path: string): Result<Inode, SimulatorError> => {
    if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\0')) return err(simulatorError('InvalidArgument', `expected an absolute path, got ${JSON.stringify(path)}`));
    const parts = absolutePath(path, '/')
      .split('/')
      .filter((part) => part !== '');
    let current = engine.world.rootDisk.root;
    let currentPath = '';
    for (const part of parts) {
      currentPath += `/${part}`;
      const resolved = resolvePath(engine.world, currentPath, '/');
      if (!resolved.ok) return err(simulatorError('InvalidArgument', `cannot create ${currentPath}: ${resolved.errno}`, path));
      if (resolved.node !== null) {
        if (resolved.node.type !== 'dir') return err(simulatorError('AlreadyExists', `${currentPath} exists and is not a directory`, path));
        if (resolved.node.snapshot !== null || resolved.node.isSnapshotsDir) return err(simulatorError('InvalidArgument', `${currentPath} is read-only (snapshot)`, path));
        current = resolved.node;
        continue;
      }
      current = ensureDirectories(engine.world, current, [part], 0o755, ROOT);
      settle(engine, current);
    }
    return ok(current);
  };
  return {
    mount: (device) => setMounted(device, true),
    unmount: (device) => setMounted(device, false),
    setNodeState(node, state) {
      const found = engine.world.cluster.nodes.find((candidate) => candidate.name === node);
      if (found === undefined) return err(simulatorError('NotFound', `no node ${String(node)}`));
      if (!NODE_STATES.includes(state)) return err(simulatorError('InvalidArgument', `unknown node state ${String(state)}`));
      found.state = state;
      refreshMounts(engine.world);
      return ok(undefined);
    },
    mkdir(path, options = {}) {
      return directory(path).map((inode) => {
        if (options.mode !== undefined) inode.mode = options.mode & 0o7777;
        if (options.uid !== undefined) inode.uid = options.uid;
        if (options.gid !== undefined) inode.gid = options.gid;
        return inode.ino;
      });
    },
    seedFile(spec) {
      if (typeof spec !== 'object' || spec === null || typeof spec.path !== 'string') return err(simulatorError('InvalidArgument', 'seedFile needs { path }'));
      const absolute = absolutePath(spec.path, '/');
      if (!spec.path.startsWith('/') || absolute === '/') return err(simulatorError('InvalidArgument', `expected an absolute file path, got ${JSON.stringify(spec.path)}`));
      const content = typeof spec.content === 'string' ? new TextEncoder().encode(spec.content) : (spec.content ?? new Uint8Array(0));
      const image = spec.imageFormat ?? 'raw';
      const size = spec.sizeBytes ?? content.length;
      if (!Number.isSafeInteger(size) || size < content.length)
        return err(simulatorError('InvalidArgument', `sizeBytes must be an integer of at least the content length (${content.length})`, spec.path));
      if (image !== 'raw' && image !== 'qcow2') return err(simulatorError('InvalidArgument', `imageFormat must be 'raw' or 'qcow2'`, spec.path));
      const slash = absolute.lastIndexOf('/');
      const parent = directory(absolute.slice(0, slash) || '/');
      if (parent.isErr()) return err(parent.error);
      const name = absolute.slice(slash + 1);
      const existingEntry = parent.value.entries?.get(name);
      let inode: Inode;
      if (existingEntry !== undefined) {
        if (spec.overwrite !== true) return err(simulatorError('AlreadyExists', `${absolute} already exists`, absolute));
        if (existingEntry.type !== 'file' || existingEntry.cloneChildren !== null) return err(simulatorError('InvalidArgument', `${absolute} is not a plain file`, absolute));
        inode = existingEntry;
        truncateTo(inode, 0);
      } else inode = createEntry(engine.world, parent.value, name, 'file', spec.mode ?? 0o644, ROOT);
      const offset = image === 'qcow2' ? QCOW2_DATA_OFFSET : 0;
      if (image === 'qcow2') writeBytes(inode, 0, qcow2Header(size));
      if (content.length > 0) writeBytes(inode, offset, content);
      const end = image === 'qcow2' ? offset + content.length : size;
      if (spec.allocate === 'zeros' && end > offset + content.length) writeZeros(inode, offset + content.length, end - offset - content.length);
      if (inode.sizeBytes < end) truncateTo(inode, end);
      if (image === 'qcow2' && inode.sizeBytes < offset) truncateTo(inode, offset);
      inode.mode = (spec.mode ?? 0o644) & 0o7777;
      inode.uid = spec.uid ?? 0;
      inode.gid = spec.gid ?? 0;
      settle(engine, inode);
      settle(engine, parent.value);
      return ok(inode.ino);
    },
  };
}

/** Seeding is set-up, not a write by the code under test: root-disk seeds do not count as writes. */
function settle(engine: Engine, inode: Inode): void {
  markChanged(inode);
  if (inode.fs === engine.world.rootDisk) inode.changed = false;
}
