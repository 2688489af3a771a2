/**
 * The POSIX shell text sent to the remote host: one command, a batch script, and the kill that
 * enforces timeouts.
 *
 * Every execution runs under `/bin/sh` (whatever the login shell), first writes
 * `<token> pid <pid>` on standard error (the shell's pid is the process group that sshd created
 * with setsid), then runs the argv as an external program with `exec`. Arguments are quoted with
 * {@link joinPosix}; a batch's script travels on standard input, so its size is not limited by
 * the kernel's per-argument limit.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { joinPosix, quotePosix } from '../quote.js';
import type { BatchCommand } from '../types.js';

/** What the scripts need from the runner options. @internal */
export interface ScriptSettings {
  readonly rootHelper: readonly string[] | null;
  readonly mmDirectory: string | null;
}

/** The largest command line sent in an exec request (Linux limits one argument to 128 KiB). @internal */
export const MAX_REMOTE_COMMAND_BYTES = 120_000;

/**
 * A fresh random token that marks the runner's own lines in the remote output.
 *
 * @returns 32 hex characters.
 * @internal
 */
export function newToken(): string {
  return `gv${randomBytes(16).toString('hex')}`;
}

/**
 * The exec request for one command.
 *
 * @param command - The argv and whether it runs as root.
 * @param token - Marks the pid and spawn-failure lines on standard error.
 * @param settings - Root helper and mm* directory.
 * @param posixLoginShell - The login shell is known to be POSIX: send the script without the `/bin/sh` wrapper.
 * @returns The command line for the remote login shell.
 * @internal
 */
export function singleCommandLine(command: Pick<BatchCommand, 'argv' | 'asRoot'>, token: string, settings: ScriptSettings, posixLoginShell = false): string {
  const script = [
    `printf '%s pid %s\\n' ${token} "$$" >&2`,
    pathSetup(settings),
    ...(usesRootHelper(command, settings) ? [] : [FIND_FUNCTION]),
    ...precheck(command, settings, `{ printf '%s spawn %s\\n' ${token} CODE >&2; exit STATUS; }`),
    `exec ${programWords(command, settings)}`,
  ]
    .filter((part) => part !== '')
    .join('; ');
  return posixLoginShell ? script : `exec /bin/sh -c ${quotePosix(script)}`;
}

/** The exec request for a batch; the script from {@link batchScript} goes to its standard input. @internal */
export const BATCH_COMMAND_LINE = 'exec /bin/sh -s';

/**
 * The script that runs a batch. Commands write straight to the channel (no temporary files); the
 * script separates them with lines that carry the batch's random token, which a command cannot know:
 * standard output starts with `<token> start\n`, then each command's output is followed by
 * `\n<token> <index> exit <status> <signal|->\n` (or `\n<token> <index> spawn <ENOENT|EACCES>\n` when its
 * program is missing), and the batch ends with `\n<token> end\n`; on standard error each command's output
 * is followed by `\n<token> <index>\n`. The script's own messages (such as a shell's "Terminated") go to
 * /dev/null.
 *
 * @param commands - The batch.
 * @param token - The separator token.
 * @param stopOnFailure - Stop after the first command that does not exit 0.
 * @param settings - Root helper and mm* directory.
 * @returns The script text.
 * @internal
 */
export function batchScript(commands: readonly BatchCommand[], token: string, stopOnFailure: boolean, settings: ScriptSettings): string {
  const lines = [
    `printf '%s pid %s\\n' ${token} "$$" >&2; printf '%s start\\n' ${token}`,
    'exec 3>&2 2>/dev/null',
    pathSetup(settings),
    // gv_mark <status>: the separators after command $i; a status above 128 is named as a signal where the shell knows it.
    `gv_mark() { n=-; if [ "$1" -gt 128 ]; then n=$(kill -l "$1" 2>/dev/null) && [ -n "$n" ] || n=-; fi; ` +
      `printf '\\n%s %s\\n' ${token} "$i" >&3; printf '\\n%s %s exit %s %s\\n' ${token} "$i" "$1" "$n"; }`,
    `gv_end() { printf '\\n%s end\\n' ${token}; exit 0; }`,
    FIND_FUNCTION,
  ].filter((line) => line !== '');
  commands.forEach((command, index) => {
    const stop = stopOnFailure && index < commands.length - 1 ? ` [ "$s" -eq 0 ] || gv_end;` : '';
    const spawnFailure = `{ printf '\\n%s %s\\n' ${token} "$i" >&3; printf '\\n%s %s spawn %s\\n' ${token} "$i" CODE; gv_end; }`;
    lines.push(
      [
        `i=${index}`,
        ...precheck(command, settings, spawnFailure),
        // A subshell that execs: builtins and keywords cannot run, and the command gets the channel's stderr (fd 3).
        `(exec ${programWords(command, settings)} 2>&3 3>&-) </dev/null; s=$?; gv_mark "$s";${stop} :`,
      ].join('; '),
    );
  });
  lines.push('gv_end');
  return `${lines.join('\n')}\n`;
}

/** What a kill targets: a process group (a command's), and/or a reused shell's server and every command it started. @internal */
export interface KillTargets {
  /** Process group id to kill, with everything in it. */
  readonly group?: number;
  /**
   * A reused shell's server (a process of the login user): stopped first so that it starts nothing
   * more, then the process group of each of its children (each command is a session of its own) is
   * killed (children found in /proc; elsewhere only `group`), then the server.
   */
  readonly server?: number;
}

/**
 * The exec request that kills a running execution's process group, or a reused shell's server and its commands.
 *
 * @param targets - The group the execution reported (its pid), and/or a server.
 * @param asRoot - Whether anything in the groups ran through the root helper.
 * @param settings - Root helper.
 * @returns The command line for the remote login shell.
 * @internal
 */
export function killCommandLine(targets: KillTargets, asRoot: boolean, settings: ScriptSettings): string {
  const groups = targets.group !== undefined ? [String(targets.group)] : [];
  const killGroup = (pid: string): string => {
    const userKill = `kill -KILL -${pid} 2>/dev/null || kill -KILL ${pid} 2>/dev/null`;
    return asRoot && settings.rootHelper ? `${joinPosix(settings.rootHelper)} kill -s KILL -- -${pid} 2>/dev/null || ${userKill}` : userKill;
  };
  if (targets.server === undefined) return `exec /bin/sh -c ${quotePosix(`${killGroup(groups[0] ?? '0')}; exit 0`)}`;
  const server = targets.server;
  const script = [
    `kill -STOP ${server} 2>/dev/null`,
    `g='${groups.join(' ')}'`,
    // Field 4 of /proc/<pid>/stat is the parent pid; the command name before it may hold spaces and parentheses.
    `for d in /proc/[0-9]*; do read -r s 2>/dev/null < "$d/stat" || continue; s=\${s##*) }; set -- $s; [ "$2" = ${server} ] && g="$g \${d#/proc/}"; done`,
    `for p in $g; do ${killGroup('$p')}; done`,
    `kill -KILL ${server} 2>/dev/null`,
    'exit 0',
  ];
  return `exec /bin/sh -c ${quotePosix(script.join('; '))}`;
}

// --- Internal helpers ---

/** The C locale (parsers read df, stat and GPFS text in it), and PATH with the mm* directory appended. */
function pathSetup(settings: ScriptSettings): string {
  const locale = 'LC_ALL=C; export LC_ALL';
  if (settings.mmDirectory === null) return locale;
  return `${locale}; PATH="\${PATH:+$PATH:}"${quotePosix(settings.mmDirectory)}; export PATH`;
}

function usesRootHelper(command: Pick<BatchCommand, 'asRoot'>, settings: ScriptSettings): boolean {
  return command.asRoot === true && settings.rootHelper !== null && settings.rootHelper.length > 0;
}

/** Words that run the argv: through the root helper when asked, with mm* resolved on the augmented PATH. */
function programWords(command: Pick<BatchCommand, 'argv' | 'asRoot'>, settings: ScriptSettings): string {
  const [program = '', ...rest] = command.argv;
  if (!usesRootHelper(command, settings)) return joinPosix(command.argv);
  // The root helper (sudo) resets PATH, so resolve mm* commands here, where PATH includes mmDirectory.
  const resolved =
    settings.mmDirectory !== null && /^mm[A-Za-z]/.test(program) && !program.includes('/') ? `"$(command -v ${quotePosix(program)} || printf %s ${quotePosix(program)})"` : quotePosix(program);
  return [joinPosix(settings.rootHelper ?? []), resolved, ...rest.map(quotePosix)].join(' ');
}

/**
 * `gv_find <name>`: succeeds when an executable file of that name is on PATH (builtins do not count),
 * using only shell builtins.
 */
const FIND_FUNCTION = `gv_find() { gv_ifs=$IFS; IFS=:; for gv_dir in $PATH; do IFS=$gv_ifs; [ -f "\${gv_dir:-.}/$1" ] && [ -x "\${gv_dir:-.}/$1" ] && return 0; done; IFS=$gv_ifs; return 1; }`;

/**
 * Checks that the program exists and is executable before `exec`, so that a missing program is told
 * apart from a program that exits 127. Skipped for root-helper commands (the helper has its own PATH).
 */
function precheck(command: Pick<BatchCommand, 'argv' | 'asRoot'>, settings: ScriptSettings, failTemplate: string): string[] {
  if (usesRootHelper(command, settings)) return [];
  const fail = (code: 'ENOENT' | 'EACCES', status: number): string => failTemplate.replace('CODE', code).replace('STATUS', String(status));
  return [
    `p=${quotePosix(command.argv[0] ?? '')}`,
    `case $p in */*) if [ ! -e "$p" ]; then ${fail('ENOENT', 127)}; elif [ ! -f "$p" ] || [ ! -x "$p" ]; then ${fail('EACCES', 126)}; fi;; ` + `*) gv_find "$p" || ${fail('ENOENT', 127)};; esac`,
  ];
}
