/**
 * Every command a README prints works as printed in a fresh clone after install, with no
 * build. The commands are read from the READMEs (root, packages/*, apps/*, tooling/*): each
 * line of a `sh` block and each inline code span that starts with npx, node, pnpm, npm or
 * tsx. The quick kinds (RUN: a TypeScript file run with tsx, the lab's CLI) are run here from
 * the repository root, every one the READMEs print; a slow, interactive or server one is named
 * in NOT_RUN with the reason and where it is exercised instead. A command of neither kind
 * fails the test, so a new kind of README command gets a decision.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function readmes(): string[] {
  const inGroups = ['packages', 'apps', 'tooling'].flatMap((group) =>
    existsSync(join(repo, group))
      ? readdirSync(join(repo, group))
          .map((dir) => join(repo, group, dir, 'README.md'))
          .filter((file) => existsSync(file))
      : [],
  );
  return [join(repo, 'README.md'), ...inGroups];
}

const TOOL = /^(npx|node|pnpm|npm|tsx) /;

/** The commands one README prints. */
function commandsIn(markdown: string): string[] {
  const commands: string[] = [];
  for (const [, body] of markdown.matchAll(/^```(?:sh|bash|shell|console)\n([\s\S]*?)^```/gm)) {
    for (const line of body!.split('\n')) {
      const command = line.replace(/^\$ /, '').replace(/\s+#.*$/, '').trim();
      if (command) commands.push(command);
    }
  }
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, span] of prose.matchAll(/`([^`\n]+)`/g)) if (TOOL.test(span!)) commands.push(span!);
  return [...new Set(commands.flatMap((c) => c.split(/\s+&&\s+/)))];
}

/** Run here: quick, deterministic, no server. */
const RUN: RegExp[] = [
  /^npx tsx --conditions=@refheap\/source [\w./-]+\.ts$/,
  /^node apps\/lab\/bin\/refheap-lab\.js (list|run [\w-]+|run [\w./-]+\.py)( --json)?$/,
  /^npx tsx --conditions=@refheap\/source packages\/python\/src\/cli\.ts (--json )?[\w./-]+\.py$/,
];

/** Commands these READMEs print today that must stay runnable (and be found by the reader). */
const KNOWN = [
  'npx tsx --conditions=@refheap/source packages/core/examples/refcount-walkthrough.ts',
  'npx tsx --conditions=@refheap/source packages/weakref/examples/seeds.ts',
  'npx tsx --conditions=@refheap/source packages/monitor/examples/find-a-leak.ts',
  'node apps/lab/bin/refheap-lab.js list',
];

/** Printed, not run here: why, and what exercises it instead. */
const NOT_RUN: [RegExp, string][] = [
  [/^npm install (@refheap\/\S+\s*|@viz-js\/viz\s*)+$/, "a user's install line: packages.test.ts installs the packed tarballs with npm"],
  [/^npx -y pnpm@10\.34\.8 install$/, 'the install itself: CI (.ci/run) runs it first'],
  [/^npx -y pnpm@10\.34\.8 test$/, 'typecheck, lint and this whole test run: what .ci/run does'],
  [/^npx -y pnpm@10\.34\.8 (--filter @refheap\/lab )?demo$/, "every lab scenario (about 20 s): apps/lab's main.test.ts runs each one through the CLI"],
  [/^npx -y pnpm@10\.34\.8 (-s )?bench( --json| --filter [\w,-]+)?$/, "minutes of benchmarks: tooling/bench's tests run every workload once at a small N"],
  [/^npx -y pnpm@10\.34\.8 stress$/, 'the full-size scale runs and a three-minute soak'],
  [/^npx -y pnpm@10\.34\.8 fuzz$/, 'the fuzzer with its long budget; CI runs it with a short one'],
  [/^npx -y pnpm@10\.34\.8 build$/, 'packages.test.ts builds each package with its tsconfig.build.json'],
  [/^npx -y pnpm@10\.34\.8 changeset$/, 'interactive'],
  [/^npx -y pnpm@10\.34\.8 lab serve$|^node apps\/lab\/bin\/refheap-lab\.js serve --open$/, "a server that runs until stopped: apps/lab's e2e test drives it"],
  // tooling/bench's README is its owners'; it speaks of a pnpm on PATH, which a machine with
  // only Node and npm lacks (`npx -y pnpm@10.34.8 …` works there).
  [/^pnpm (-s )?bench( .*)?$|^pnpm --filter @refheap\/bench /, "tooling/bench's own commands, for a pnpm on PATH"],
  [/^node --expose-gc --import tsx src\/worker\.ts NAME$/, "tooling/bench's worker, as its runner starts it (from tooling/bench, with a workload NAME)"],
];

function runCommand(command: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      'sh',
      ['-c', command],
      { cwd: repo, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? ((error.code as number | undefined) ?? 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

describe('the commands the READMEs print', () => {
  const printed = readmes().flatMap((file) =>
    commandsIn(readFileSync(file, 'utf8')).map((command) => ({ file: relative(repo, file), command })),
  );

  const toRun = [...new Set(printed.map((p) => p.command).filter((command) => RUN.some((kind) => kind.test(command))))];

  it('finds them', () => {
    for (const command of KNOWN) expect(toRun).toContain(command);
  });

  it('each is run here or has a reason not to be', () => {
    const undecided = printed
      .filter(({ command }) => !toRun.includes(command) && !NOT_RUN.some(([pattern]) => pattern.test(command)))
      .map(({ file, command }) => `${file}: ${command}`);
    expect(undecided).toEqual([]);
  });

  it('a TypeScript file run with tsx resolves the workspace packages to their sources (no dist in a fresh clone)', () => {
    const bare = printed
      .filter(({ command }) => /\btsx\b.*\.ts\b/.test(command) && !/^node --expose-gc/.test(command))
      .filter(({ command }) => !command.includes('--conditions=@refheap/source'))
      .map(({ file, command }) => `${file}: ${command}`);
    expect(bare).toEqual([]);
  });

  for (const command of toRun) {
    it(`\`${command}\` exits 0`, async () => {
      const { code, output } = await runCommand(command);
      expect(code, output).toBe(0);
    });
  }
});
