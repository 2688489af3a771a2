/**
 * The command server behind reused shells: one long-lived process per pooled SSH session that reads
 * framed requests on its standard input and runs the commands of each request one after another,
 * each in a fresh child process.
 *
 * It is a small Perl program, not `sh` reading scripts, for three measured reasons: a POSIX shell
 * sees a command killed by signal N as status 128+N, exactly like a command that exits 128+N (dash
 * and bash alike), so it cannot report signals exactly, while Perl's `waitpid` gives the raw wait
 * status; Perl reads length-prefixed requests byte-exactly, so argv elements and stdin can be any
 * bytes and are never parsed by a shell at all (each argv element goes to `execvp` as it is); and
 * forking the server then exec'ing the program directly costs one process image per command, where
 * `sh -c <script>` would cost two. Without `perl` on the remote PATH the runner uses one exec
 * channel per command, as with `reuseShells: false`.
 *
 * Each command gets what the exec path's script gives it (remote-script.ts): PATH with the mm*
 * directory appended (`PATH="${PATH:+$PATH:}"<dir>`, set once in the server, which runs nothing
 * else); a program without `/` must be an executable file on PATH (else spawn ENOENT), a path must
 * exist (ENOENT) and be an executable file (EACCES); an `asRoot` command runs as `<root helper...>
 * <program> <args...>` with an mm* program resolved on that PATH first, and a helper that cannot be
 * run exits 127 (or 126) with a message, as `sh` would. The checks run in the server before it forks,
 * so that the child does no more than become a session leader, take its stdin, report its pid and
 * exec (a forked Perl process pays for every page it touches).
 *
 * Protocol, for a request with random token T (`gv` and 32 hex digits):
 * - in: `gvrequest T <stopOnFailure 0|1> <commands> <stdinBytes>\n`; per command
 *   `<asRoot 0|1> <argc> <bytes of each argument>...\n` and the arguments back to back; `gvend T\n`;
 *   then the first command's stdin bytes. A header, command line or trailer that does not match ends
 *   the server before anything runs (a desynchronised stream never executes a fragment).
 * - stdout: `T start\n`; per command `\nT <i> pid <pid>\n` (written by the command's own process,
 *   after it became a session and process group leader, as sshd makes every session's process, and
 *   before it runs anything), its output, then
 *   `\nT <i> exit <status> <SIGNAME|->\n` or `\nT <i> spawn <ENOENT|EACCES|E2BIG|...>\n`; last `\nT end\n`.
 * - stderr: `T start\n`; per command its output then `\nT <i>\n`; last `\nT end\n`.
 * Each command gets fresh stdin (/dev/null or a pipe fed from the request), stdout and stderr on the
 * channel and no other descriptor; the server never changes its own directory, umask, environment
 * or signal dispositions, so nothing carries over from one command to the next.
 *
 * @module
 */
import { quotePosix } from '../quote.js';
import type { BatchCommand } from '../types.js';
import type { ScriptSettings } from './remote-script.js';

/** The server program (one line, no comments: it travels in the exec request through any login shell). */
const SERVER_SOURCE = [
  'use strict; use POSIX (); use Config;',
  'my %sig; my @sn = split / /, $Config{sig_name}; my @sv = split / /, $Config{sig_num};',
  'for my $k (0 .. $#sn) { $sig{$sv[$k]} = $sn[$k] unless exists $sig{$sv[$k]} }',
  "$SIG{PIPE} = 'IGNORE'; binmode STDIN; binmode STDOUT; binmode STDERR;",
  'my ($ready, $mmflag, @helper) = @ARGV; my $mm = $mmflag =~ /^d:(.*)$/s ? $1 : undef;',
  'sub put { my ($fh, $s) = @_; my $o = 0; while ($o < length $s) { my $w = syswrite $fh, $s, length($s) - $o, $o;',
  'if (!defined $w) { next if $!{EINTR}; exit 0 } $o += $w } }',
  'sub line { my $l = <STDIN>; exit 0 unless defined $l; chomp $l; return $l }',
  'sub take { my ($n) = @_; my $b = ""; while (length($b) < $n) { my $r = read STDIN, $b, $n - length($b), length($b); exit 0 unless $r } return $b }',
  'sub feed { my ($fh, $left) = @_; my $ok = 1; while ($left > 0) { my $b = take($left > 65536 ? 65536 : $left); $left -= length $b; next unless $ok;',
  'my $o = 0; while ($o < length $b) { my $w = syswrite $fh, $b, length($b) - $o, $o; if (!defined $w) { next if $!{EINTR}; $ok = 0; last } $o += $w } } close $fh }',
  'sub drain { my ($left) = @_; while ($left > 0) { $left -= length take($left > 65536 ? 65536 : $left) } }',
  'sub onpath { my ($p) = @_; for my $d (split /:/, defined $ENV{PATH} ? $ENV{PATH} : "") { my $f = (length $d ? $d : ".") . "/$p"; return $f if -f $f && -x _ } return undef }',
  "sub errname { return $!{E2BIG} ? 'E2BIG' : $!{ENOENT} ? 'ENOENT' : $!{EACCES} ? 'EACCES' : $!{ENOEXEC} ? 'ENOEXEC' : 'EIO' }",
  'sub prepare { my ($root, @a) = @_;',
  'if ($root && @helper) { if (defined $mm && $a[0] =~ /^mm[A-Za-z]/ && index($a[0], "/") < 0) { my $f = onpath($a[0]); $a[0] = $f if defined $f } return ("", 1, $helper[0], @helper, @a) }',
  "my $p = $a[0]; return ((!-e $p ? 'ENOENT' : (!-f $p || !-x $p) ? 'EACCES' : ''), 0, $p, @a) if index($p, '/') >= 0;",
  "my $f = onpath($p); return (defined $f ? '' : 'ENOENT', 0, $f, @a) }",
  '$ENV{PATH} = (defined $ENV{PATH} && length $ENV{PATH} ? "$ENV{PATH}:" : \'\') . $mm if defined $mm;',
  "$ENV{LC_ALL} = 'C';",
  "open(my $null, '<', '/dev/null') or exit 4;",
  'put(\\*STDOUT, "$ready ready $$\\n");',
  'while (1) {',
  'my $h = line(); exit 3 unless $h =~ /^gvrequest (gv[0-9a-f]{32}) ([01]) ([1-9][0-9]*) ([0-9]+)$/; my ($t, $stop, $n, $in0) = ($1, $2, $3, $4);',
  'my @cmds; for (1 .. $n) { my $c = line(); exit 3 unless $c =~ /^([01]) ([1-9][0-9]*)((?: [0-9]+)+)$/; my ($root, $argc, @lens) = ($1, $2, split / /, substr($3, 1));',
  'exit 3 unless @lens == $argc; push @cmds, [$root, map { take($_) } @lens] }',
  'exit 3 unless line() eq "gvend $t"; put(\\*STDOUT, "$t start\\n"); put(\\*STDERR, "$t start\\n");',
  'for my $i (0 .. $#cmds) {',
  'my $in = $i == 0 ? $in0 : 0; my ($e, $root, $prog, @argv) = prepare(@{$cmds[$i]});',
  'if ($e ne "") { drain($in); put(\\*STDERR, "\\n$t $i\\n"); put(\\*STDOUT, "\\n$t $i spawn $e\\n"); last }',
  'my ($sr, $sw, $ir, $iw); pipe($sr, $sw) or exit 4; if ($in) { pipe($ir, $iw) or exit 4 }',
  'my $pid = fork;',
  "if (defined $pid && $pid == 0) { $SIG{PIPE} = 'DEFAULT'; POSIX::setsid(); POSIX::dup2(fileno($in ? $ir : $null), 0);",
  'put(\\*STDOUT, "\\n$t $i pid $$\\n"); exec { $prog } @argv;',
  'if ($root) { print STDERR "$prog: $!\\n"; POSIX::_exit($!{ENOENT} ? 127 : 126) } syswrite $sw, errname(); POSIX::_exit(127) }',
  'close $sw; my $st = 0; my $spawn = "";',
  'if (!defined $pid) { close $sr; if ($in) { close $ir; close $iw; drain($in) } $spawn = "EAGAIN" } else {',
  'if ($in) { close $ir; feed($iw, $in) }',
  'my $w; do { $w = waitpid($pid, 0) } while ($w == -1 && $!{EINTR}); $st = $?; sysread($sr, $spawn, 16); close $sr }',
  'put(\\*STDERR, "\\n$t $i\\n");',
  'if ($spawn =~ /^(E[A-Z0-9]+)$/) { put(\\*STDOUT, "\\n$t $i spawn $1\\n"); last }',
  'my $s = $st & 127;',
  'put(\\*STDOUT, $s ? "\\n$t $i exit " . (128 + $s) . " SIG" . (defined $sig{$s} ? $sig{$s} : "NUM$s") . "\\n" : "\\n$t $i exit " . ($st >> 8) . " -\\n");',
  'last if $stop && $st }',
  'put(\\*STDERR, "\\n$t end\\n"); put(\\*STDOUT, "\\n$t end\\n") }',
].join(' ');

/** One request: its commands, in order, and the first command's stdin. @internal */
export interface ShellRequest {
  readonly token: string;
  readonly commands: readonly Pick<BatchCommand, 'argv' | 'asRoot'>[];
  readonly stopOnFailure: boolean;
  /** Bytes for the first command's stdin (the request must then hold one command). */
  readonly stdin?: Buffer;
}

/**
 * The exec request that starts a server; it writes `<readyToken> ready <pid>\n` on stdout once it
 * reads requests. `perl` is looked up on the session's PATH.
 *
 * @param readyToken - Random token of the ready line.
 * @param settings - Root helper and mm* directory (fixed for the server's life).
 * @param posixLoginShell - The login shell is POSIX: no `/bin/sh` wrapper.
 * @returns The command line for the remote login shell.
 * @internal
 */
export function shellServerCommandLine(readyToken: string, settings: ScriptSettings, posixLoginShell: boolean): string {
  const mm = settings.mmDirectory === null ? 'n' : `d:${settings.mmDirectory}`;
  const line = ['exec perl -e', quotePosix(SERVER_SOURCE), readyToken, quotePosix(mm), ...(settings.rootHelper ?? []).map(quotePosix)].join(' ');
  return posixLoginShell ? line : `exec /bin/sh -c ${quotePosix(line)}`;
}

/**
 * Encodes a request for the server's stdin.
 *
 * @param request - Token, commands, stopOnFailure and stdin.
 * @returns The framed bytes: head (header, commands, trailer) and the stdin payload.
 * @internal
 */
export function encodeShellRequest(request: ShellRequest): { readonly head: Buffer; readonly stdin: Buffer } {
  const stdin = request.stdin ?? Buffer.alloc(0);
  const parts: Buffer[] = [Buffer.from(`gvrequest ${request.token} ${request.stopOnFailure ? 1 : 0} ${request.commands.length} ${stdin.length}\n`, 'latin1')];
  for (const command of request.commands) {
    const args = command.argv.map((arg) => Buffer.from(arg, 'utf8'));
    parts.push(Buffer.from(`${command.asRoot === true ? 1 : 0} ${args.length} ${args.map((arg) => arg.length).join(' ')}\n`, 'latin1'), ...args);
  }
  parts.push(Buffer.from(`gvend ${request.token}\n`, 'latin1'));
  return { head: Buffer.concat(parts), stdin };
}

/**
 * Finds the server's ready line in what it printed so far (login-shell noise may come first).
 *
 * @param stdout - Everything the channel printed so far.
 * @param readyToken - The token passed at start.
 * @returns The server's pid, or `undefined` while the line is incomplete.
 * @internal
 */
export function readReadyLine(stdout: Buffer, readyToken: string): number | undefined {
  const marker = Buffer.from(`${readyToken} ready `, 'latin1');
  const at = stdout.indexOf(marker);
  if (at < 0) return undefined;
  const end = stdout.indexOf(0x0a, at + marker.length);
  if (end < 0) return undefined;
  const pid = Number(stdout.subarray(at + marker.length, end).toString('latin1'));
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}
