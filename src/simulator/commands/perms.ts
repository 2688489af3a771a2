/**
 * `chmod [-R] MODE FILE...` and `chown [-R] OWNER[:GROUP] FILE...`.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { markChanged } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { applyMode, existing } from './files.js';

/** The chmod and chown commands. */
export const permissionCommands: CommandTable = {
  chmod: { handler: chmod, family: 'system' },
  chown: { handler: chown, family: 'system' },
};

const NAMES: Readonly<Record<string, number>> = { root: 0, sim: 1000, wheel: 10, users: 100 };

function split(context: CommandContext, command: string): { recursive: boolean; verbose: boolean; operands: string[] } | CommandResult {
  let recursive = false;
  let verbose = false;
  const operands: string[] = [];
  const args = context.args;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (arg === '--recursive') recursive = true;
    else if (arg === '--verbose' || arg === '--changes') verbose = true;
    else if (arg.startsWith('--')) return failure(`${command}: unrecognized option '${arg}'\n${tryHelp(command)}`);
    else if (/^-[RvcfhHLP]+$/.test(arg)) {
      recursive ||= arg.includes('R');
      verbose ||= arg.includes('v');
    } else operands.push(arg);
  }
  if (operands.length === 0) return failure(`${command}: missing operand\n${tryHelp(command)}`);
  if (operands.length === 1) return failure(`${command}: missing operand after ${quote(operands[0] as string)}\n${tryHelp(command)}`);
  return { recursive, verbose, operands };
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
  if (applyMode(modeText as string, 0, false) === null) return failure(`chmod: invalid mode: ${quote(modeText as string)}\n${tryHelp('chmod')}`);
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
