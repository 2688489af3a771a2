/**
 * The setup plan (the seed's `do_setup` and `check_for_setup_error`) in two round trips: first
 * everything that needs no device name, then the file system and pool queries for the device found.
 *
 * @module
 */
import type { ResolvedOptions } from '../options.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * What the first setup round learnt that the second one needs.
 *
 * @example
 * ```ts
 * const devices: SetupDevices = { baseDevice: 'gpfs0', imagesDevice: null, queryEncryption: true };
 * ```
 */
export interface SetupDevices {
  /** Device of the base's file system. */
  readonly baseDevice: string;
  /** Device of the images directory's file system, when configured. */
  readonly imagesDevice: string | null;
  /** Whether the cluster level allows the encryption query (>= 1404). */
  readonly queryEncryption: boolean;
}

/**
 * The first setup round: GPFS state, cluster id, name and level, and for each directory whether it is
 * a directory, which device holds it (`df -P -B 1`), whether it is on a mounted GPFS and in which
 * fileset (`mmlsattr -L`), and, for `copy_on_write`, whether both share a file system (`stat -f -c %i`).
 * All are read-only; the round runs to its end whatever fails.
 *
 * @param options - Resolved driver options.
 * @returns The commands.
 * @example
 * ```ts
 * setupProbeCommands(options).map((command) => command.argv.join(' '));
 * ```
 */
export function setupProbeCommands(options: ResolvedOptions): PlannedCommand[] {
  const commands: PlannedCommand[] = [
    { step: 'gpfs-state', argv: ['mmgetstate', '-Y'], asRoot: true },
    // One mmlsconfig for both names (`mmlsconfig Attribute[,Attribute...] -Y`); the daemon level stays
    // on its own: Cinder's fixtures show it printed under another name (`minReleaseLevel`).
    { step: 'cluster-id', argv: ['mmlsconfig', 'clusterId,clusterName', '-Y'], asRoot: true },
    { step: 'cluster-level', argv: ['mmlsconfig', 'minreleaseLeveldaemon', '-Y'], asRoot: true },
    ...directoryProbes('base', options.mountPointBase),
  ];
  if (options.imagesDir !== null) {
    commands.push(...directoryProbes('images', options.imagesDir));
    if (options.imagesShareMode === 'copy_on_write') {
      commands.push({ step: 'filesystem-ids', argv: ['stat', '-f', '-c', '%i', options.mountPointBase, options.imagesDir], asRoot: true });
    }
  }
  return commands;
}

/**
 * The second setup round: format level of the base's file system with its encryption state where the
 * cluster can report it (one `mmlsfs` for both), the storage pools (`mmlspool <device> all`: the
 * configured pool must be listed; the data pools are cached), and the images file system's format level
 * when it is another device.
 *
 * @param options - Resolved driver options.
 * @param devices - What the first round found.
 * @returns The commands.
 * @example
 * ```ts
 * setupFilesystemCommands(options, { baseDevice: 'gpfs0', imagesDevice: null, queryEncryption: true });
 * ```
 */
export function setupFilesystemCommands(options: ResolvedOptions, devices: SetupDevices): PlannedCommand[] {
  const commands: PlannedCommand[] = [
    { step: 'base-format-level', argv: ['mmlsfs', devices.baseDevice, '-V', ...(devices.queryEncryption ? ['--encryption'] : []), '-Y'], asRoot: true },
    { step: 'storage-pool', argv: ['mmlspool', devices.baseDevice, 'all'], asRoot: true },
  ];
  if (devices.imagesDevice !== null && devices.imagesDevice !== devices.baseDevice) {
    commands.push({ step: 'images-format-level', argv: ['mmlsfs', devices.imagesDevice, '-V', '-Y'], asRoot: true });
  }
  return commands;
}

/**
 * The setup plan as a dry run: the second round shows `<device>` where the device found in the first
 * round goes (or the cached device, when setup already ran).
 *
 * @param options - Resolved driver options.
 * @param cachedDevice - The device from an earlier setup, if any.
 * @returns The plan.
 * @example
 * ```ts
 * planSetup(options, null).rounds.length; // 2
 * ```
 */
export function planSetup(options: ResolvedOptions, cachedDevice: string | null): OperationPlan {
  const device = cachedDevice ?? '<device>';
  return {
    operation: 'setup',
    rounds: [
      { commands: setupProbeCommands(options) },
      {
        commands: setupFilesystemCommands(options, {
          baseDevice: device,
          imagesDevice: options.imagesDir === null ? null : cachedDevice === null ? '<images-device>' : device,
          queryEncryption: true,
        }),
        condition: 'after the first round found GPFS active and the directories on a mounted GPFS; the encryption query only when the cluster level is at least 1404',
      },
    ],
  };
}

// --- Internal helpers ---

function directoryProbes(prefix: 'base' | 'images', path: string): PlannedCommand[] {
  return [
    { step: `${prefix}-is-directory`, argv: ['test', '-d', path], asRoot: true },
    { step: `${prefix}-device`, argv: ['df', '-P', '-B', '1', path], asRoot: true },
    { step: `${prefix}-attributes`, argv: ['mmlsattr', '-L', path], asRoot: true },
  ];
}
