/**
 * `chmod [-R] MODE FILE...` and `chown [-R] OWNER[:GROUP] FILE...`.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { markChanged } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { applyMode, existing } from './files.js';
import { hasOption, missingOperand, optionTable, parseCommandLine, usageError } from './options.js';

/** The chmod and chown commands. */
export const permissionCommands: CommandTable = {
  chmod: { handler: chmod, family: 'system' },
  chown: { handler: chown, family: 'system' },
};

const NAMES: Readonly<Record<string, number>> = { root: 0, sim: 1000, wheel: 10, users: 100 };

/** chmod and chown share their options; a token such as `-w` that is not all option letters is an operand (a mode). */
const permissionOptions = (command: 'chmod' | 'chown') =>
  optionTable(command, { recursive: ['-R', '--recursive'], verbose: ['-v', '--verbose', '--changes'], ignored: ['-c', '-f', '-h', '-H', '-L', '-P'] }, { unknownShortIsOperand: true });

const OPTIONS = { chmod: permissionOptions('chmod'), chown: permissionOptions('chown') };

function split(context: CommandContext, command: 'chmod' | 'chown'): { recursive: boolean; verbose: boolean; operands: readonly string[] } | CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS[command]);
  if (!parsed.ok) return parsed.failure;
  const missing = missingOperand(command, parsed.operands, ['operand', 'operand']);
  if (missing !== null) return missing;
  return { recursive: hasOption(parsed, 'recursive'), verbose: hasOption(parsed, 'verbose'), operands: parsed.operands };
}

function eachTarget(inode: Inode, recursive: boolean, visit: (inode: Inode) => void): void {
  visit(inode);
  if (!recursive || inode.entries === null) return;
  for (const child of inode.entries.values()) if (child.type !== 'symlink') eachTarget(child, true, visit);
}

function chmod(context: CommandContext): CommandResult {
  const args = context.args.filter((arg) => !/^-[rwxXst]+$/.test(arg) || arg === '-R');
  const modeArgument = context.args.find((arg) => /^-[rwxXst]+$/.test(arg) && arg !== '-R');
  const parsed = split({ ...context, args }, 'chmod');
  if ('exitCode' in parsed) return parsed;
  const [modeText, ...files] = modeArgument === undefined ? parsed.operands : [modeArgument, ...parsed.operands];
  if (applyMode(modeText as string, 0, false) === null) return usageError('chmod', `invalid mode: ${quote(modeText as string)}`);
  let stderr = '';
  for (const file of files) {
    const found = existing(context, file);
    if ('errno' in found) {
      stderr += `chmod: cannot access ${quote(file)}: ${errnoText(found.errno)}\n`;
      continue;
    }
    eachTarget(found.inode, parsed.recursive, (inode) => {
      if (!context.identity.isRoot && context.identity.uid !== inode.uid) {
        stderr += `chmod: changing permissions of ${quote(file)}: ${errnoText('EPERM')}\n`;
        return;
      }
      if (inode.snapshot !== null || inode.isSnapshotsDir) {
        stderr += `chmod: changing permissions of ${quote(file)}: ${errnoText('EROFS')}\n`;
        return;
      }
      inode.mode = applyMode(modeText as string, inode.mode, inode.type === 'dir') as number;
      inode.ctimeMs = context.world.nowMs;
      markChanged(inode);
    });
  }
  return stderr === '' ? success() : failure(stderr);
}

function account(text: string): number | null {
  if (/^\d{1,10}$/.test(text)) return Number(text);
  return NAMES[text] ?? null;
}

function chown(context: CommandContext): CommandResult {
  const parsed = split(context, 'chown');
  if ('exitCode' in parsed) return parsed;
  const [spec, ...files] = parsed.operands as [string, ...string[]];
  const separator = spec.search(/[:.]/);
  const userText = separator >= 0 ? spec.slice(0, separator) : spec;
  const groupText = separator >= 0 ? spec.slice(separator + 1) : '';
  const uid = userText === '' ? null : account(userText);
  const gid = groupText === '' ? null : account(groupText);
  if (userText !== '' && uid === null) return failure(`chown: invalid user: ${quote(spec)}\n`);
  if (groupText !== '' && gid === null) return failure(`chown: invalid group: ${quote(spec)}\n`);
  let stderr = '';
  for (const file of files) {
    const found = existing(context, file);
    if ('errno' in found) {
      stderr += `chown: cannot access ${quote(file)}: ${errnoText(found.errno)}\n`;
      continue;
    }
    eachTarget(found.inode, parsed.recursive, (inode) => {
      const changesOwner = uid !== null && uid !== inode.uid;
      const allowedGroup = gid === null || gid === context.identity.gid;
      if (!context.identity.isRoot && (changesOwner || context.identity.uid !== inode.uid || !allowedGroup)) {
        stderr += `chown: changing ownership of ${quote(file)}: ${errnoText('EPERM')}\n`;
        return;
      }
      if (inode.snapshot !== null || inode.isSnapshotsDir) {
        stderr += `chown: changing ownership of ${quote(file)}: ${errnoText('EROFS')}\n`;
        return;
      }
      if (uid !== null) inode.uid = uid;
      if (gid !== null) inode.gid = gid;
      inode.ctimeMs = context.world.nowMs;
      markChanged(inode);
    });
  }
  return stderr === '' ? success() : failure(stderr);
}
