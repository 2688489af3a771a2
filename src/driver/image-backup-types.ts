/**
 * The shapes `createVolumeFromImage`, `backupVolume` and `restoreBackup` take and return.
 *
 * @module
 */
import type { CreatedVolume } from './types.js';

/**
 * Options of `createVolumeFromImage`.
 *
 * @example
 * ```ts
 * const options: ImageVolumeOptions = { diskFormat: 'qcow2' };
 * ```
 */
export interface ImageVolumeOptions {
  /**
   * The format the image is declared to have (Glance's `disk_format`). The driver learns the format by
   * probing the image file (`qemu-img info --output=json`, on the image only, never on a volume); when
   * this is given and the probe disagrees, the image is refused (`InvalidArgument`): a "raw" image whose
   * content is a qcow2 header is the CVE-2024-32498 attack shape.
   */
  readonly diskFormat?: string;
}

/**
 * Why an image cannot be cloned by GPFS, so the caller should copy it another way (Cinder falls back to
 * `copy_image_to_volume`). Nothing was created.
 *
 * @example
 * ```ts
 * const reason: NotCloneableReason = 'ImageNotOnGpfs';
 * ```
 */
export type NotCloneableReason = 'ImagesDirUnset' | 'ShareModeUnset' | 'ImageNotFound' | 'ImageNotRegularFile' | 'ImageNotOnGpfs' | 'UnsupportedFormat' | 'InConsistencyGroup';

/**
 * An image that could not be cloned: a result, not an error (upstream raises here: cinder-gpfs-driver.md E.8 item 16).
 *
 * @example
 * ```ts
 * const result: NotCloneable = { cloned: false, reason: 'ShareModeUnset', imagePath: null, message: 'imagesShareMode is not set ...' };
 * ```
 */
export interface NotCloneable {
  /** Always `false`. */
  readonly cloned: false;
  /** Why. */
  readonly reason: NotCloneableReason;
  /** The image file looked at, or `null` when the driver is not configured for images. */
  readonly imagePath: string | null;
  /** For people. */
  readonly message: string;
}

/**
 * How an image became a volume.
 *
 * @example
 * ```ts
 * const method: ImageCopyMethod = 'clone';
 * ```
 */
export type ImageCopyMethod = 'clone' | 'copy' | 'convert';

/**
 * A volume made from an image.
 *
 * @example
 * ```ts
 * const result: ClonedImage = {
 *   cloned: true, volume: { name: 'v1', path: '/gpfs0/volumes/v1', sizeGiB: 10 }, method: 'clone',
 *   imagePath: '/gpfs0/images/img-1', imageFormat: 'raw', imageSnapped: true, redirected: false,
 * };
 * ```
 */
export interface ClonedImage {
  /** Always `true`. */
  readonly cloned: true;
  /** The volume, with its size read back (raw). */
  readonly volume: CreatedVolume;
  /**
   * `'clone'`: `mmclone copy` of a raw image (`imagesShareMode: 'copy_on_write'`); `'copy'`: `cp` of a raw
   * image (`'copy'`); `'convert'`: `qemu-img convert -O raw` of a non-raw image (either mode).
   */
  readonly method: ImageCopyMethod;
  /** The image file. */
  readonly imagePath: string;
  /** The image's format, as probed. */
  readonly imageFormat: string;
  /** Whether this call turned the image into a clone parent in place (`mmclone snap <image>`; raw images only). */
  readonly imageSnapped: boolean;
  /** Whether the volume was redirected to keep its clone chain within `maxCloneDepth`. */
  readonly redirected: boolean;
}

/**
 * What `createVolumeFromImage` returns: the volume, or why the image cannot be cloned.
 *
 * @example
 * ```ts
 * const result = (await driver.createVolumeFromImage({ name: 'v1', sizeGiB: 10 }, 'img-1'))._unsafeUnwrap();
 * if (!result.cloned) console.log(`fall back to a generic copy: ${result.message}`);
 * ```
 */
export type ImageVolumeResult = ClonedImage | NotCloneable;

/**
 * Options of `backupVolume` and `restoreBackup`.
 *
 * @example
 * ```ts
 * const options: StreamOptions = { signal: AbortSignal.timeout(3_600_000) };
 * ```
 */
export interface StreamOptions {
  /** Stops the transfer (the result is then an `Aborted` error). */
  readonly signal?: AbortSignal;
}

/**
 * What `backupVolume` did.
 *
 * @example
 * ```ts
 * const result: BackupResult = {
 *   name: 'v1', path: '/gpfs0/volumes/v1', bytes: 10737418240, redirected: false,
 *   sourcePath: '/gpfs0/volumes/.tmp.backup-k3x', parentPath: '/gpfs0/volumes/.backup-k3x.snap',
 *   cleanup: { removed: ['/gpfs0/volumes/.tmp.backup-k3x'], kept: [{ path: '/gpfs0/volumes/.backup-k3x.snap', reason: 'StillHasChildren' }], error: null },
 * };
 * ```
 */
export interface BackupResult {
  /** The volume. */
  readonly name: string;
  /** Its file. */
  readonly path: string;
  /** Bytes delivered to the sink: the volume's size. */
  readonly bytes: number;
  /** The point-in-time clone that was streamed (removed afterwards). */
  readonly sourcePath: string;
  /**
   * The hidden clone parent the snapshot left: it holds the volume's blocks as they were, and the volume
   * is its child; it is removed with the clone when the volume was redirected away from it, otherwise
   * when the volume is deleted (it is disposable: `.snap`).
   */
  readonly parentPath: string;
  /** Whether the volume was redirected to keep its clone chain within `maxCloneDepth`. */
  readonly redirected: boolean;
  /** How the clone was cleaned up (by the clone-tree executor). */
  readonly cleanup: {
    /** Files removed: the clone, then any disposable parent it left without children. */
    readonly removed: readonly string[];
    /** Parents kept, and why. */
    readonly kept: readonly {
      /** The file (or `inode N`). */
      readonly path: string;
      /** Why it stays. */
      readonly reason: string;
    }[];
    /** Why the cleanup failed (the backup itself is complete), or `null`. */
    readonly error: string | null;
  };
}

/**
 * What `restoreBackup` did.
 *
 * @example
 * ```ts
 * const result: RestoredVolume = { name: 'v1', path: '/gpfs0/volumes/v1', bytes: 1073741824, sizeBytes: 2147483648, sparse: true };
 * ```
 */
export interface RestoredVolume {
  /** The volume. */
  readonly name: string;
  /** Its file. */
  readonly path: string;
  /** Bytes written from the source. */
  readonly bytes: number;
  /** The volume's size, unchanged by the restore (the part beyond the backup reads as zeros). */
  readonly sizeBytes: number;
  /** Whether zero blocks became holes (`dd conv=sparse`; not for a clone child, whose holes are never risked). */
  readonly sparse: boolean;
}
