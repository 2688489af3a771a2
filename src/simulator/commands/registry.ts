/**
 * Every simulated command, by name.
 *
 * @module
 */
import { builtinCommands } from './builtins.js';
import { catCommands } from './cat.js';
import type { CommandSpec } from './context.js';
import { cpCommands } from './cp.js';
import { ddCommands } from './dd.js';
import { dfCommands } from './df.js';
import { findCommands } from './find.js';
import { lnCommands } from './ln.js';
import { mkdirCommands } from './mkdir.js';
import { mkfsCommands } from './mkfs.js';
import { mmchattrCommands } from './mmchattr.js';
import { mmcloneCommands } from './mmclone.js';
import { filesetCommands } from './mmfileset.js';
import { mmgetstateCommands } from './mmgetstate.js';
import { mmlsattrCommands } from './mmlsattr.js';
import { mmlsconfigCommands } from './mmlsconfig.js';
import { mmlsfsCommands } from './mmlsfs.js';
import { mmlsmountCommands } from './mmlsmount.js';
import { mmlspoolCommands } from './mmlspool.js';
import { snapshotCommands } from './mmsnapshot.js';
import { mvCommands } from './mv.js';
import { permissionCommands } from './perms.js';
import { qemuImgCommands } from './qemu-img.js';
import { rmCommands } from './rm.js';
import { statCommands } from './stat.js';
import { testCommands } from './test.js';
import { truncateCommands } from './truncate.js';

/** Command name to implementation (a plain map: one lookup per command). */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(
  Object.entries({
    ...mmgetstateCommands,
    ...mmlsconfigCommands,
    ...mmlsfsCommands,
    ...mmlsattrCommands,
    ...mmchattrCommands,
    ...mmlspoolCommands,
    ...mmlsmountCommands,
    ...mmcloneCommands,
    ...filesetCommands,
    ...snapshotCommands,
    ...dfCommands,
    ...statCommands,
    ...testCommands,
    ...mkdirCommands,
    ...truncateCommands,
    ...ddCommands,
    ...catCommands,
    ...permissionCommands,
    ...rmCommands,
    ...mvCommands,
    ...cpCommands,
    ...lnCommands,
    ...findCommands,
    ...mkfsCommands,
    ...qemuImgCommands,
    ...builtinCommands,
  }),
);

/** Directories a command may be named from (`/usr/lpp/mmfs/bin/mmgetstate`, `/usr/bin/dd`, ...). */
export const COMMAND_DIRECTORIES: ReadonlySet<string> = new Set(['/usr/lpp/mmfs/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/local/sbin']);

/** Names of every simulated command, sorted (for shims and documentation). */
export const COMMAND_NAMES: readonly string[] = [...COMMANDS.keys()].sort();
