#!/usr/bin/env node
// refheap-lab: runs the lab's TypeScript entry with tsx, resolving the workspace
// packages to their sources (the @refheap/source condition), so no build is needed.
import { spawn } from 'node:child_process';
import process from 'node:process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'src', 'cli', 'main.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');
const child = spawn(
  process.execPath,
  ['--conditions=@refheap/source', '--import', tsx, entry, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
