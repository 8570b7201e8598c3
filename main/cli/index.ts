/**
 * Command-line entry: `npm run cli -- <command>` (tsx) or `node out/main/cli.js <command>`
 * (the built bundle). Everything is in runCli; this file only wires up the process.
 */
import path from 'node:path';
import { runCli } from './run';

// Piping into `head` closes stdout early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const script = process.argv[1] ?? '';
const prog = script.endsWith('.js')
  ? `node ${path.relative(process.cwd(), script) || script}`
  : 'npm run cli --';

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  prog,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`错误：内部错误：${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
