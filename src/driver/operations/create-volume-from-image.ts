/**
 * createVolumeFromImage (the seed's clone_image): probe the image, then clone, copy or convert it into a
 * new volume; two round trips, three when the new clone must be redirected.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { parseQemuImgInfo } from '../../parsers/qemu-img.js';
import type { DriverContext } from '../context.js';
import { invalidArgument, type GpfsError } from '../errors.js';
import { createExecution, type Execution, type RoundOutputs } from '../executor.js';
import type { ClonedImage, ImageVolumeOptions, ImageVolumeResult } from '../image-backup-types.js';
import { redirectCommands } from '../plans/clone-volume.js';
import { GIB_BYTES, publishCommands, PUBLISH_TOLERATED, withoutNoopPool } from '../plans/commands.js';
import { readDepths } from '../plans/depth.js';
import { IMAGE_PROBE_TOLERATED, imageCreateCommands, planCreateVolumeFromImage, readImageProbe, type ImageFacts, type ImageVolumePlan } from '../plans/image-volume.js';
import type { TracedRunner } from '../trace.js';
import type { VolumeSpec } from '../types.js';
import { warnIfWorkNameKept } from './publish.js';

/**
 * Creates a volume from an image in `imagesDir`, or reports (as a result, not an error) that the image
 * cannot be cloned: images not configured, the image missing, a symbolic link, not on a mounted GPFS, or
 * in a format the driver does not convert. A failure after the volume file exists removes it; an image
 * snapped in place stays a clone parent (that cannot be undone, and it is harmless: images are read-only).
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param spec - The new volume; `sizeGiB` must hold the image's virtual size.
 * @param imageId - The image's file name in `imagesDir`.
 * @param options - The declared format, checked against the probe.
 * @returns The volume made, or why the image is not cloneable.
 * @example
 * ```ts
 * createVolumeFromImage(context, runner, { name: 'v1', sizeGiB: 10 }, 'img-1');
 * ```
 */
export function createVolumeFromImage(context: DriverContext, runner: TracedRunner, spec: VolumeSpec, imageId: string, options: ImageVolumeOptions = {}): ResultAsync<ImageVolumeResult, GpfsError> {
  const planned = planCreateVolumeFromImage(context.options, spec, imageId, options, null, context.makeTag());
  if (planned.isErr()) return errAsync(planned.error);
  const plan = planned.value;
  const { imagePath, notCloneable } = plan;
  const shareMode = context.options.imagesShareMode;
  if (notCloneable !== null || imagePath === null || shareMode === null) {
    return okAsync(notCloneable ?? { cloned: false, reason: 'ImagesDirUnset', imagePath: null, message: 'images are not configured' });
  }
  return context.locks.withLocks([plan.path, imagePath], () =>
    context.ensureFacts(runner).andThen((facts) => {
      const execution = createExecution(runner, 'createVolumeFromImage', context.makeTag);
      return execution.round(plan.probe, IMAGE_PROBE_TOLERATED).andThen((probe) => {
        const found = readImageProbe(plan, (step) => probe.output(step), shareMode);
        if (found.isErr()) return errAsync<ImageVolumeResult, GpfsError>(found.error);
        const image = found.value;
        if ('cloned' in image) {
          try {
            context.options.logger.info?.(`[gpfs] image ${imageId} not cloneable: ${image.message}`, { reason: image.reason });
          } catch {
            // Logging must never break an operation.
          }
          return okAsync<ImageVolumeResult, GpfsError>(image);
        }
        if (image.virtualSizeBytes > plan.sizeGiB * GIB_BYTES) {
          return errAsync<ImageVolumeResult, GpfsError>(
            invalidArgument(
              'sizeGiB',
              `${imagePath} holds a ${image.virtualSizeBytes}-byte disk, larger than ${plan.sizeGiB} GiB; ask for at least ${Math.ceil(image.virtualSizeBytes / GIB_BYTES)} GiB. Nothing was created.`,
            ),
          );
        }
        // The pool assignment is left out where it cannot change anything (one data pool, the one asked for).
        const attributes = withoutNoopPool(plan.attributes, facts.dataPools);
        const commands = imageCreateCommands(context.options, { ...plan, imagePath, attributes }, image);
        return execution.round(commands, PUBLISH_TOLERATED).andThen((created) => finish(context, execution, plan, imagePath, image, created, spec.name));
      });
    }),
  );
}

// --- Internal helpers ---

function finish(
  context: DriverContext,
  execution: Execution,
  plan: ImageVolumePlan,
  imagePath: string,
  image: ImageFacts,
  round: RoundOutputs,
  name: string,
): ResultAsync<ImageVolumeResult, GpfsError> {
  const info = parseQemuImgInfo(round.output('read-size')?.stdout ?? '');
  if (info.isErr()) return execution.abort(info.error);
  const result: ClonedImage = {
    cloned: true,
    volume: { name, path: plan.path, sizeGiB: Math.ceil(info.value.virtualSizeBytes / GIB_BYTES) },
    method: image.method,
    imagePath,
    imageFormat: image.format,
    imageSnapped: image.method === 'clone' && !image.isParent,
    redirected: false,
  };
  const { maxCloneDepth } = context.options;
  if (image.method !== 'clone' || maxCloneDepth === 0) {
    // Published by the create round.
    warnIfWorkNameKept(context, round, plan.workPath);
    return okAsync(result);
  }
  const depths = readDepths([plan.workPath], round.output('read-clone-depth')?.stdout ?? '');
  if (depths.isErr()) return execution.abort(depths.error);
  const redirects = redirectCommands({ depthPaths: [plan.workPath], hiddenParent: null }, depths.value, maxCloneDepth);
  return execution.round([...redirects, ...publishCommands(plan.workPath, plan.path)], PUBLISH_TOLERATED).map((last): ImageVolumeResult => {
    warnIfWorkNameKept(context, last, plan.workPath);
    return { ...result, redirected: redirects.length > 0 };
  });
}
