/**
 * Plans: every driver operation as data, a pure function of its inputs, the options and the cached
 * cluster facts. The executor runs them; `driver.plan.*` shows them as a dry run.
 *
 * @module
 */

/**
 * What a failure of a check command means. Commands without a check are changes: their failure is a
 * `CommandFailed` error naming the step.
 *
 * @example
 * ```ts
 * const check: CommandCheck = { kind: 'absent', role: 'volume', path: '/gpfs0/v1' };
 * ```
 */
export type CommandCheck =
  | {
      /** The base directory is on a mounted GPFS (failure: `NotMounted` or `GpfsNotActive`). */
      readonly kind: 'mounted';
      /** The directory checked. */
      readonly path: string;
    }
  | {
      /**
       * Every condition holds (one `test` joining them with `-a`); on failure one more round trip
       * checks them one by one and reports the first that does not hold.
       */
      readonly kind: 'all';
      /** The conditions, in reporting order. */
      readonly conditions: readonly FileCondition[];
    }
  | FileCondition;

/**
 * A condition on one path, checked with `test`.
 *
 * @example
 * ```ts
 * const condition: FileCondition = { kind: 'present', role: 'volume', path: '/gpfs0/v1' };
 * ```
 */
export type FileCondition =
  | {
      /** `path` must not exist yet (failure: `AlreadyExists`). */
      readonly kind: 'absent';
      /** What would be overwritten. */
      readonly role: 'volume' | 'snapshot' | 'clone parent';
      /** The path. */
      readonly path: string;
    }
  | {
      /** `path` must exist (failure: `NotFound`). */
      readonly kind: 'present';
      /** What is needed. */
      readonly role: 'volume' | 'snapshot';
      /** The path. */
      readonly path: string;
    };

/**
 * Something a command may create, and how to undo it when a later step fails.
 *
 * @example
 * ```ts
 * const created: CreatedObject = { path: '/gpfs0/v2.snap', dispose: 'tombstone' };
 * ```
 */
export interface CreatedObject {
  /** The file. */
  readonly path: string;
  /**
   * `'remove'`: `rm -f` it. `'tombstone'`: for a clone parent (a snapshot, a hidden `.snap` parent)
   * whose source may already be its child: `rm -f` it, and if clones still depend on it, rename it to
   * a tagged `.ts` tombstone (freeing its name for a retry) that deleting its last clone collects.
   */
  readonly dispose: 'remove' | 'tombstone';
  /**
   * The name is this execution's alone (a tagged work file such as `.tmp.create.<tag>`): removing it is
   * safe even when the outcome of the command that makes it is unknown (a lost connection), so it is
   * removed then too. @defaultValue false
   */
  readonly exclusive?: boolean;
}

/**
 * One command of a plan.
 *
 * @example
 * ```ts
 * const command: PlannedCommand = { step: 'create-sparse-file', argv: ['truncate', '-s', '10G', '/gpfs0/v1'], asRoot: true, creates: [{ path: '/gpfs0/v1', dispose: 'remove' }] };
 * ```
 */
export interface PlannedCommand {
  /** Name of the step, reported in errors and `onCommand` events, e.g. `'create-sparse-file'`. */
  readonly step: string;
  /** Program and arguments. */
  readonly argv: readonly string[];
  /** Run through the root helper. */
  readonly asRoot: boolean;
  /** For checks: what a failure means. */
  readonly check?: CommandCheck;
  /** What this command may create (undone, children first, if it or a later step fails). */
  readonly creates?: readonly CreatedObject[];
  /**
   * For a command that fails when a name is already taken (`ln` publishing a volume): the name. A failure
   * whose message says the file exists is `AlreadyExists` for it (after cleanup), not `CommandFailed`.
   */
  readonly claims?: {
    /** What the name is for. */
    readonly role: 'volume';
    /** The path. */
    readonly path: string;
  };
}

/**
 * One round trip of a plan: commands sent together, stopping at the first failure.
 *
 * @example
 * ```ts
 * const round: PlanRound = { commands: [{ step: 'redirect', argv: ['mmclone', 'redirect', '/gpfs0/v1'], asRoot: true }], condition: 'when the depth exceeds maxCloneDepth (4)' };
 * ```
 */
export interface PlanRound {
  /** The commands, in order. */
  readonly commands: readonly PlannedCommand[];
  /**
   * For rounds that depend on earlier output: when they run, for people (e.g. `'when the depth of
   * /gpfs0/v1 exceeds maxCloneDepth (4)'`). Absent for rounds that always run.
   */
  readonly condition?: string;
}

/**
 * A whole operation as data.
 *
 * @example
 * ```ts
 * const plan = driver.plan.createVolume({ name: 'v1', sizeGiB: 10 });
 * if (plan.isOk()) for (const round of plan.value.rounds) console.log(round.commands.map((c) => c.argv.join(' ')));
 * ```
 */
export interface OperationPlan {
  /** The driver operation, e.g. `'createVolume'`. */
  readonly operation: string;
  /** Round trips, in order. Conditional rounds carry a `condition`. */
  readonly rounds: readonly PlanRound[];
}
