/**
 * The createVolumeFromImage plan (the seed's clone_image), in two round trips plus a conditional
 * redirect:
 *
 * 1. probe: the mount check, the volume must not exist, and the image (`<imagesDir>/<imageId>`) must be
 *    a regular file (not a symbolic link) on a mounted GPFS (`df -P -t gpfs <image>`), with its format from
 *    `qemu-img info --output=json` (run on the image only, never on a volume) and, for
 *    `copy_on_write`, its clone state (`mmclone show`);
 * 2. create, chosen from the probe: a raw image is cloned (`mmclone copy`; the image is first made a
 *    clone parent in place with `mmclone snap <image>` unless it already is one) or copied (`cp`,
 *    through the runner); any other format is converted (`qemu-img convert -f <format> -O raw`) and is
 *    never snapped (upstream fix 9710357f2). Then mode 660, attributes, a raw resize, the size read back
 *    (raw), and the clone depth when `maxCloneDepth` is set;
 * 3. `mmclone redirect` of the volume when its depth exceeds `maxCloneDepth` (upstream never checks image clones).
 *
 * The volume is made as a work file `.tmp.create.<tag>` and published under its name (`ln`) in the last
 * round: the second, or the third for a clone when `maxCloneDepth` is set. A volume whose create fails is
 * never visible under its name.
 *
 * @module
 */
import { err, ok, Result } from 'neverthrow';
import type { ParseError } from '../../errors.js';
import { parseMmcloneShow, parseQemuImgInfo } from '../../parsers/index.js';
import { invalidArgument, type GpfsError } from '../errors.js';
import type { ImageCopyMethod, ImageVolumeOptions, NotCloneable } from '../image-backup-types.js';
import { volumeAttributes } from '../metadata.js';
import { mountCheck, mountCheckArgv } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { allOk, validateSize, type VolumeSpec } from '../types.js';
import { buildPath, checkAbsent, publishCommands, readCloneDepth, readRawSize, redirect, resizeRaw, setAttributes, setMode, withoutNoopPool } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * Image formats the driver converts (others are reported as not cloneable, for a generic copy).
 *
 * @example
 * ```ts
 * IMAGE_FORMATS.includes('qcow2'); // true
 * ```
 */
export const IMAGE_FORMATS: readonly string[] = ['raw', 'qcow2', 'qed', 'vmdk', 'vdi', 'vhdx', 'vpc'];

/**
 * Probe steps whose failure means "not cloneable" rather than an error.
 *
 * @example
 * ```ts
 * execution.round(plan.probe, IMAGE_PROBE_TOLERATED);
 * ```
 */
export const IMAGE_PROBE_TOLERATED: readonly string[] = ['image-not-symlink', 'image-is-file', 'image-on-gpfs'];

/**
 * A createVolumeFromImage plan.
 *
 * @example
 * ```ts
 * const plan = planCreateVolumeFromImage(options, { name: 'v1', sizeGiB: 10 }, 'img-1')._unsafeUnwrap();
 * plan.imagePath; // '/gpfs0/images/img-1'
 * ```
 */
export interface ImageVolumePlan extends OperationPlan {
  /** The new volume. */
  readonly path: string;
  /** The work file it is made as, then published. */
  readonly workPath: string;
  /** The validated size. */
  readonly sizeGiB: number;
  /** The image file, or `null` when images are not configured. */
  readonly imagePath: string | null;
  /** Set when the driver is not configured to clone images (nothing runs). */
  readonly notCloneable: NotCloneable | null;
  /** The probe round. */
  readonly probe: readonly PlannedCommand[];
  /** Validated `mmchattr` options from the metadata. */
  readonly attributes: readonly string[];
  /** The declared format to check, if any. */
  readonly diskFormat: string | null;
}

/**
 * What the probe found out about the image.
 *
 * @example
 * ```ts
 * const found: ImageFacts = { format: 'raw', virtualSizeBytes: 1073741824, isParent: false, method: 'clone' };
 * ```
 */
export interface ImageFacts {
  /** Format as probed. */
  readonly format: string;
  /** Virtual size in bytes. */
  readonly virtualSizeBytes: number;
  /** Already a clone parent (no snap needed). */
  readonly isParent: boolean;
  /** How the volume will be made. */
  readonly method: ImageCopyMethod;
}

/**
 * Plans createVolumeFromImage.
 *
 * @param options - Resolved driver options.
 * @param spec - The new volume (`metadata.fstype` is refused: mkfs would destroy the image's data).
 * @param imageId - The image's file name in `imagesDir` (validated like a volume name).
 * @param imageOptions - The declared format, if known.
 * @param dataPools - The file system's data pools from the cached facts (`null` before setup).
 * @param tag - The execution's unique tag for the work file (`<tag>` in dry runs).
 * @returns The plan (with `notCloneable` set when images are not configured), or a validation error.
 * @example
 * ```ts
 * planCreateVolumeFromImage(options, { name: 'v1', sizeGiB: 10 }, 'img-1', { diskFormat: 'raw' });
 * ```
 */
export function planCreateVolumeFromImage(
  options: ResolvedOptions,
  spec: VolumeSpec,
  imageId: string,
  imageOptions: ImageVolumeOptions = {},
  dataPools: readonly string[] | null = null,
  tag = '<tag>',
): Result<ImageVolumePlan, GpfsError> {
  const declared = imageOptions.diskFormat;
  if (declared !== undefined && (typeof declared !== 'string' || !/^[a-z0-9]{1,16}$/.test(declared))) {
    return err(invalidArgument('diskFormat', `diskFormat must be a format name such as 'raw' or 'qcow2' (got ${JSON.stringify(declared)}). Nothing was run.`));
  }
  return allOk([validateName(spec.name, 'volume'), validateSize(spec.sizeGiB, 'sizeGiB'), validateName(imageId, 'image')] as const).andThen(([name, sizeGiB, image]) =>
    imageAttributes(options, spec).map((requested): ImageVolumePlan => {
      const attributes = withoutNoopPool(requested, dataPools);
      const path = pathIn(options.mountPointBase, name);
      const workPath = buildPath(path, tag);
      const common = { operation: 'createVolumeFromImage', path, workPath, sizeGiB, attributes, diskFormat: declared ?? null };
      const { imagesDir, imagesShareMode } = options;
      if (imagesDir === null || imagesShareMode === null) {
        const reason = imagesDir === null ? 'ImagesDirUnset' : 'ShareModeUnset';
        const what = imagesDir === null ? 'imagesDir is not set' : 'imagesShareMode is not set';
        const notCloneable: NotCloneable = { cloned: false, reason, imagePath: null, message: `${what}: images are not cloned by GPFS; copy the image another way` };
        return { ...common, rounds: [], imagePath: null, notCloneable, probe: [] };
      }
      const imagePath = pathIn(imagesDir, image);
      const probe: PlannedCommand[] = [
        mountCheck(options.mountPointBase),
        checkAbsent('check-volume-absent', 'volume', path),
        { step: 'image-not-symlink', argv: ['test', '!', '-h', imagePath], asRoot: true },
        { step: 'image-is-file', argv: ['test', '-f', imagePath], asRoot: true },
        { step: 'image-on-gpfs', argv: mountCheckArgv(imagePath), asRoot: true },
        { step: 'image-info', argv: ['qemu-img', 'info', '--output=json', imagePath], asRoot: true },
        ...(imagesShareMode === 'copy_on_write' ? [{ step: 'image-clone-state', argv: ['mmclone', 'show', imagePath], asRoot: true }] : []),
      ];
      const method: ImageCopyMethod = imagesShareMode === 'copy_on_write' ? 'clone' : 'copy';
      const example: ImageFacts = { format: 'raw', virtualSizeBytes: 0, isParent: false, method };
      const rounds: OperationPlan['rounds'] = [
        { commands: probe },
        {
          commands: imageCreateCommands(options, { path, workPath, imagePath, sizeGiB, attributes }, example),
          condition: `when the image is a regular file on GPFS; shown for a raw image${method === 'clone' ? ' that is not yet a clone parent' : ''} (any other format: qemu-img convert -f <format> -O raw ${imagePath} ${workPath}, and no snap)`,
        },
        ...(options.maxCloneDepth > 0 && method === 'clone'
          ? [
              {
                commands: [redirect(workPath), ...publishCommands(workPath, path)],
                condition: `the redirect when the volume's depth exceeds maxCloneDepth (${options.maxCloneDepth}); then the publish`,
              },
            ]
          : []),
      ];
      return { ...common, rounds, imagePath, notCloneable: null, probe };
    }),
  );
}

/**
 * Reads the probe round: not cloneable (a result), an error (unreadable or refused image), or the facts.
 *
 * @param plan - The plan.
 * @param output - The probe outputs by step.
 * @param shareMode - `'copy'` or `'copy_on_write'`.
 * @returns What the probe found.
 * @example
 * ```ts
 * readImageProbe(plan, (step) => round.output(step), 'copy_on_write');
 * ```
 */
export function readImageProbe(
  plan: ImageVolumePlan,
  output: (step: string) => { readonly exitCode: number | null; readonly stdout: string; readonly stderr: string } | undefined,
  shareMode: 'copy' | 'copy_on_write',
): Result<ImageFacts | NotCloneable, GpfsError> {
  const imagePath = plan.imagePath ?? '';
  const failed = (step: string) => {
    const result = output(step);
    return result !== undefined && result.exitCode !== 0;
  };
  const notCloneable = (reason: NotCloneable['reason'], message: string): Result<NotCloneable, never> => ok({ cloned: false, reason, imagePath, message });
  if (failed('image-not-symlink')) return notCloneable('ImageNotRegularFile', `${imagePath} is a symbolic link; the driver does not follow links out of imagesDir`);
  if (failed('image-is-file')) return notCloneable('ImageNotFound', `${imagePath} is not a regular file in imagesDir`);
  if (failed('image-on-gpfs')) return notCloneable('ImageNotOnGpfs', `${imagePath} is not on a mounted GPFS file system (${firstLine(output('image-on-gpfs')?.stderr)})`);
  const infoText = output('image-info')?.stdout ?? '';
  const info = parseQemuImgInfo(infoText);
  if (info.isErr()) return err(info.error);
  const { format, virtualSizeBytes, backingFile } = info.value;
  if (backingFile !== undefined || hasDataFile(infoText)) {
    return err(
      invalidArgument(
        'imageId',
        `${imagePath} refers to another file (${backingFile !== undefined ? `backing file ${backingFile}` : 'external data file'}); such images are refused because converting them would read outside imagesDir. Nothing was created.`,
      ),
    );
  }
  if (plan.diskFormat !== null && plan.diskFormat !== format) {
    return err(
      invalidArgument(
        'diskFormat',
        `${imagePath} is declared '${plan.diskFormat}' but its content is a '${format}' image; refusing it (a format mismatch is how CVE-2024-32498 images look). Nothing was created.`,
      ),
    );
  }
  if (!IMAGE_FORMATS.includes(format)) return notCloneable('UnsupportedFormat', `${imagePath} is a '${format}' image, which the driver does not convert`);
  if (format !== 'raw') return ok({ format, virtualSizeBytes, isParent: false, method: 'convert' });
  if (shareMode === 'copy') return ok({ format, virtualSizeBytes, isParent: false, method: 'copy' });
  const rows = parseShow(imagePath, output('image-clone-state')?.stdout ?? '');
  if (rows.isErr()) return err(rows.error);
  return ok({ format, virtualSizeBytes, isParent: rows.value, method: 'clone' });
}

/**
 * The create round for what the probe found.
 *
 * @param options - Resolved driver options.
 * @param plan - Paths, size and attributes.
 * @param image - What the probe found.
 * @returns The commands.
 * @example
 * ```ts
 * imageCreateCommands(options, plan, { format: 'qcow2', virtualSizeBytes: 2 ** 30, isParent: false, method: 'convert' });
 * ```
 */
export function imageCreateCommands(
  options: ResolvedOptions,
  plan: Pick<ImageVolumePlan, 'path' | 'workPath' | 'sizeGiB' | 'attributes'> & { readonly imagePath: string },
  image: ImageFacts,
): PlannedCommand[] {
  const { workPath: path, imagePath } = plan;
  const creates = [{ path, dispose: 'remove' as const, exclusive: true }];
  const make: PlannedCommand[] =
    image.method === 'clone'
      ? [...(image.isParent ? [] : [{ step: 'snap-image', argv: ['mmclone', 'snap', imagePath], asRoot: true }]), { step: 'clone', argv: ['mmclone', 'copy', imagePath, path], asRoot: true, creates }]
      : image.method === 'copy'
        ? [{ step: 'copy', argv: ['cp', '--sparse=always', imagePath, path], asRoot: true, creates }]
        : [{ step: 'convert', argv: ['qemu-img', 'convert', '-f', image.format, '-O', 'raw', imagePath, path], asRoot: true, creates }];
  return [
    ...make,
    setMode(path, '660'),
    ...setAttributes(path, plan.attributes),
    resizeRaw(path, plan.sizeGiB),
    readRawSize(path),
    // A clone's depth decides a redirect round, which then publishes; anything else is published here.
    ...(image.method === 'clone' && options.maxCloneDepth > 0 ? [readCloneDepth([path])] : publishCommands(path, plan.path)),
  ];
}

// --- Internal helpers ---

function imageAttributes(options: ResolvedOptions, spec: VolumeSpec): Result<readonly string[], GpfsError> {
  return volumeAttributes(spec.metadata, options.storagePool).andThen((attributes) =>
    attributes.fstype === null
      ? ok(attributes.mmchattrOptions)
      : err<readonly string[], GpfsError>({
          kind: 'InvalidMetadata',
          key: 'fstype',
          value: attributes.fstype,
          message: 'metadata fstype applies only to new empty volumes: making a file system on a volume made from an image would destroy the image. Nothing was run.',
        }),
  );
}

function parseShow(imagePath: string, stdout: string): Result<boolean, ParseError> {
  return parseMmcloneShow(stdout).andThen((rows) => {
    const row = rows.find((candidate) => candidate.fileName === imagePath) ?? (rows.length === 1 ? rows[0] : undefined);
    return row === undefined ? err<boolean, ParseError>({ kind: 'ParseError', parser: 'parseMmcloneShow', message: `mmclone show printed no row for ${imagePath}` }) : ok(row.isParent);
  });
}

const parseJson = Result.fromThrowable(
  (text: string): unknown => JSON.parse(text),
  () => null,
);

/** Whether qemu-img reports an external data file (qcow2 `data-file`), which a convert would read. */
function hasDataFile(text: string): boolean {
  const parsed = parseJson(text);
  if (parsed.isErr()) return false;
  const top: unknown = Array.isArray(parsed.value) ? parsed.value[0] : parsed.value;
  const specific = (top as { 'format-specific'?: { data?: Record<string, unknown> } } | null)?.['format-specific']?.data;
  return specific !== undefined && specific !== null && typeof specific === 'object' && 'data-file' in specific;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? '';
}
