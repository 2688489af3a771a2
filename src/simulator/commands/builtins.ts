/**
 * Small utilities: printf, echo, true, false, sleep (advances the virtual clock), env, sudo, id,
 * whoami, sync.
 *
 * @module
 */
import { ROOT } from '../model/namespace.js';
import { failure, quote, success, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { interpretEscapes } from './escapes.js';

/** The utilities. */
export const builtinCommands: CommandTable = {
  printf: { handler: printf, family: 'system' },
  echo: { handler: echo, family: 'system' },
  true: { handler: () => success(), family: 'system' },
  false: { handler: () => ({ exitCode: 1, stdout: '', stderr: '' }), family: 'system' },
  sleep: { handler: sleep, family: 'system' },
  env: { handler: env, family: 'system' },
  sudo: { handler: sudo, family: 'system' },
  id: { handler: id, family: 'system' },
  whoami: { handler: (context) => success(`${context.identity.isRoot ? 'root' : 'sim'}\n`), family: 'system' },
  sync: { handler: () => success(), family: 'system' },
};

function echo(context: CommandContext): CommandResult {
  const args = [...context.args];
  let newline = true;
  let escapes = false;
  while (args.length > 0 && /^-[neE]+$/.test(args[0] as string)) {
    const flags = args.shift() as string;
    for (const flag of flags.slice(1)) {
      if (flag === 'n') newline = false;
      else if (flag === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = args.join(' ');
  if (escapes) {
    const expanded = interpretEscapes(text, true);
    if (expanded.stopped) return success(expanded.text);
    text = expanded.text;
  }
  return success(newline ? `${text}\n` : text);
}

function printf(context: CommandContext): CommandResult {
  const args = context.args[0] === '--' ? context.args.slice(1) : context.args;
  const format = args[0];
  if (format === undefined) return failure(`printf: missing operand\n${tryHelp('printf')}`);
  const values = args.slice(1);
  let position = 0;
  let output = '';
  let stderr = '';
  let stop = false;
  const take = (): string | undefined => values[position++];
  const numeric = (text: string | undefined): number => {
    if (text === undefined || text === '') return 0;
    if (/^['"]/.test(text)) return text.codePointAt(1) ?? 0;
    const trimmed = text.trim();
    let value: number;
    if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(trimmed)) value = Number.parseInt(trimmed, 16);
    else if (/^[-+]?0[0-7]+$/.test(trimmed)) value = Number.parseInt(trimmed, 8);
    else if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed)) value = Number(trimmed);
    else {
      stderr += `printf: ${quote(text)}: expected a numeric value\n`;
      const prefix = /^[-+]?\d+/.exec(trimmed);
      return prefix === null ? 0 : Number(prefix[0]);
    }
    return value;
  };
  do {
    const start = position;
    const pattern = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXfFeEgGcsbq%])|%|\\c/g;
    let last = 0;
    for (let match = pattern.exec(format); match !== null; match = pattern.exec(format)) {
      output += interpretEscapes(format.slice(last, match.index)).text;
      last = pattern.lastIndex;
      if (match[0] === '\\c') {
        stop = true;
        break;
      }
      const conversion = match[4];
      if (conversion === undefined) {
        if (match.index === format.length - 1) stderr += 'printf: %: invalid conversion specification\n';
        else stderr += `printf: ${quote(format.slice(match.index, match.index + 2))}: invalid conversion specification\n`;
        stop = true;
        break;
      }
      if (conversion === '%') {
        output += '%';
        continue;
      }
      const flags = match[1] ?? '';
      const width = match[2] === '*' ? numeric(take()) : Number(match[2] ?? 0);
      const precision = match[3] === undefined ? undefined : match[3] === '*' ? numeric(take()) : Number(match[3]);
      let text: string;
      switch (conversion) {
        case 's':
          text = take() ?? '';
          if (precision !== undefined) text = text.slice(0, precision);
          break;
        case 'b': {
          const expanded = interpretEscapes(take() ?? '', true);
          text = expanded.text;
          if (expanded.stopped) stop = true;
          break;
        }
        case 'q':
          text = quoteShell(take() ?? '');
          break;
        case 'c':
          text = (take() ?? '').slice(0, 1);
          break;
        case 'd':
        case 'i':
        case 'u':
          text = formatInteger(Math.trunc(numeric(take())), flags, precision);
          break;
        case 'o':
          text = Math.trunc(numeric(take())).toString(8);
          break;
        case 'x':
        case 'X': {
          const hex = Math.trunc(numeric(take())).toString(16);
          text = conversion === 'X' ? hex.toUpperCase() : hex;
          break;
        }
        default: {
          const number = numeric(take());
          text =
            conversion.toLowerCase() === 'e'
              ? number.toExponential(precision ?? 6)
              : conversion.toLowerCase() === 'g'
                ? String(Number(number.toPrecision(precision ?? 6)))
                : number.toFixed(precision ?? 6);
        }
      }
      output += flags.includes('-') ? text.padEnd(width) : text.padStart(width, flags.includes('0') && /[diouxXfFeEgG]/.test(conversion) ? '0' : ' ');
      if (stop) break;
    }
    if (stop) break;
    output += interpretEscapes(format.slice(last)).text;
    if (position === start) break;
  } while (position < values.length);
  return stderr === '' ? success(output) : failure(stderr, 1, output);
}

function formatInteger(value: number, flags: string, precision: number | undefined): string {
  let digits = String(Math.abs(value));
  if (precision !== undefined) digits = digits.padStart(precision, '0');
  const sign = value < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  return `${sign}${digits}`;
}

function quoteShell(text: string): string {
  if (text === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, "'\\''")}'`;
}

function sleep(context: CommandContext): CommandResult {
  if (context.args.length === 0) return failure(`sleep: missing operand\n${tryHelp('sleep')}`);
  let totalMs = 0;
  for (const arg of context.args) {
    const match = /^(\d+(?:\.\d*)?|\.\d+|inf(?:inity)?)([smhd]?)$/.exec(arg);
    if (match === null) return failure(`sleep: invalid time interval ${quote(arg)}\n${tryHelp('sleep')}`);
    const value = (match[1] as string).startsWith('inf') ? Number.POSITIVE_INFINITY : Number(match[1]);
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, '': 1000 }[match[2] as 's'];
    totalMs += value * unit;
  }
  if (!Number.isFinite(totalMs)) {
    if (Number.isFinite(context.budgetMs)) return { exitCode: 0, stdout: '', stderr: '', extraCostMs: context.budgetMs, timedOut: true };
    return failure('sleep: the simulator does not sleep forever; give the command a timeout\n');
  }
  if (totalMs > context.budgetMs) return { exitCode: 0, stdout: '', stderr: '', extraCostMs: Math.max(0, context.budgetMs), timedOut: true };
  return { ...success(), extraCostMs: totalMs };
}

function env(context: CommandContext): CommandResult | Promise<CommandResult> {
  const args = [...context.args];
  const assignments: string[] = [];
  while (args.length > 0) {
    const arg = args[0] as string;
    if (arg === '-i' || arg === '--ignore-environment' || arg === '-') args.shift();
    else if (arg === '-u' || arg === '--unset') args.splice(0, 2);
    else if (arg === '--') {
      args.shift();
      break;
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) assignments.push(args.shift() as string);
    else if (arg.startsWith('-')) return failure(`env: invalid option -- '${arg.slice(1, 2)}'\n${tryHelp('env')}`);
    else break;
  }
  if (args.length === 0) {
    const base = ['PATH=/usr/lpp/mmfs/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOME=${context.identity.isRoot ? '/root' : '/home/sim'}`, 'LANG=C.UTF-8'];
    return success([...base, ...assignments].map((line) => `${line}\n`).join(''));
  }
  return context.dispatch(args, context.identity);
}

function sudo(context: CommandContext): CommandResult | Promise<CommandResult> {
  const args = [...context.args];
  while (args.length > 0 && (args[0] as string).startsWith('-')) {
    const option = args.shift() as string;
    if (option === '--') break;
    if (option === '-u' || option === '-g') {
      const user = args.shift();
      if (user !== 'root' && user !== '0' && user !== '#0') return failure(`sudo: unknown user ${user ?? ''}\nsudo: error initializing audit plugin sudoers_audit\n`);
    } else if (!['-n', '-E', '-H', '-S', '--non-interactive', '--preserve-env'].includes(option))
      return failure(`sudo: invalid option -- '${option.slice(1, 2)}'\nusage: sudo [-n] [-u user] command [arg ...]\n`);
  }
  if (args.length === 0) return failure('usage: sudo -h | -K | -k | -V\nusage: sudo [-n] [-u user] command [arg ...]\n');
  return context.dispatch(args, ROOT);
}

function id(context: CommandContext): CommandResult {
  const { uid, gid, isRoot } = context.identity;
  const name = isRoot ? 'root' : 'sim';
  const flags = context.args.join('');
  if (flags.includes('u')) return success(`${flags.includes('n') ? name : uid}\n`);
  if (flags.includes('g')) return success(`${flags.includes('n') ? name : gid}\n`);
  return success(`uid=${uid}(${name}) gid=${gid}(${name}) groups=${gid}(${name})\n`);
}
