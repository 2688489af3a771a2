/**
 * A fast bridge from real processes to an in-memory simulator, for the bounds suite's 10,000 operations
 * over SSH: one bash shim per simulated command sends its working directory and argv over TCP (bash's
 * `/dev/tcp`) to a server holding the simulator, and prints the exit code, stdout and stderr it gets
 * back. The `gpfs-sim` CLI shims start Node and load the state for every command (about 200 ms each);
 * these cost a bash process and one loopback connection.
 *
 * Protocol: request fields are NUL-terminated: cwd, argc, command name, then argc arguments; the reply
 * is `<exit> <stderr characters>\n`, then stderr (text, read by a bash builtin), then stdout (binary, to
 * the end of the connection, copied by `cat`). Standard input is not forwarded.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { COMMAND_NAMES } from '../../../src/simulator/commands/registry.js';
import type { GpfsSimulator } from '../../../src/simulator/index.js';

/** A running bridge. */
export interface SimBridge {
  /** Directory of bash shims to put first on PATH. */
  readonly binDirectory: string;
  /** Commands served so far. */
  served(): number;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a bridge to `sim` and writes its shims.
 *
 * @param sim - The simulator that serves the commands.
 * @param directory - Where to write the shims (a `bin` directory is made inside).
 * @returns The bridge.
 */
export async function startSimBridge(sim: GpfsSimulator, directory: string): Promise<SimBridge> {
  let served = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    let handled = false;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const fields = request(buffered);
      if (fields === null || handled) return;
      handled = true;
      served += 1;
      void sim.run({ argv: fields.argv, asRoot: true }).then((result) => {
        const output = result.isOk() ? result.value : { exitCode: 255, stdout: '', stderr: `bridge: ${result.error.kind}: ${result.error.message}\n` };
        const stderr = output.stderr.replace(/\0/g, '');
        socket.end(Buffer.concat([Buffer.from(`${output.exitCode ?? 1} ${[...stderr].length}\n${stderr}`, 'utf8'), Buffer.from(output.stdout, 'utf8')]));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const binDirectory = join(directory, 'bin');
  mkdirSync(binDirectory, { recursive: true });
  for (const name of COMMAND_NAMES) {
    const path = join(binDirectory, name);
    writeFileSync(path, shim(name, port));
    chmodSync(path, 0o755);
  }
  return {
    binDirectory,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// --- Internal helpers ---

/** The fields of a complete request, or `null` while more bytes are due. */
function request(buffered: Buffer): { readonly argv: string[] } | null {
  const fields: string[] = [];
  let start = 0;
  for (let index = 0; index < buffered.length; index++) {
    if (buffered[index] !== 0) continue;
    fields.push(buffered.subarray(start, index).toString('utf8'));
    start = index + 1;
  }
  const argc = Number(fields[1]);
  if (fields.length < 3 || !Number.isInteger(argc) || fields.length < 3 + argc) return null;
  return { argv: [fields[2] as string, ...fields.slice(3, 3 + argc)] };
}

/** The real `cat` (the shims shadow `cat` itself on PATH). */
const CAT = ['/bin/cat', '/usr/bin/cat'].find((path) => existsSync(path)) ?? '/bin/cat';

function shim(name: string, port: number): string {
  return [
    '#!/bin/bash',
    `# gpfs-volumes reliability bridge shim for ${name}`,
    `exec 3<>/dev/tcp/127.0.0.1/${port} || exit 126`,
    `{ printf '%s\\0' "$PWD" "$#" '${name}'; if [ $# -gt 0 ]; then printf '%s\\0' "$@"; fi; } >&3`,
    'IFS=" " read -r code errlen <&3',
    'if [ "$errlen" -gt 0 ]; then IFS= read -r -d "" -N "$errlen" err <&3; printf "%s" "$err" >&2; fi',
    `if [ "$code" = 0 ]; then exec ${CAT} <&3; fi`,
    `${CAT} <&3`,
    'exit "$code"',
    '',
  ].join('\n');
}
