/**
 * The CLI's front door: --version, --help, usage errors said plainly (not
 * Node's parser text), options a command does not take refused, and colour
 * decided for each stream on its own.
 */
import { describe, expect, it } from 'vitest';
import { captureIo, captureStream } from './capture.ts';
import { labVersion, main } from './main.ts';

const ESC = '\u001b[';

describe('--version and --help', () => {
  it('--version and -v print the lab\'s version from its package.json, exit 0', async () => {
    expect(labVersion()).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v']) {
      const io = captureIo();
      expect(await main([flag], io)).toBe(0);
      expect(io.stdout.text()).toBe(`refheap-lab ${labVersion()}\n`);
      expect(io.stderr.text()).toBe('');
    }
  });
  it('-h, --help, help and <command> --help print the usage on stdout, exit 0', async () => {
    for (const argv of [['-h'], ['--help'], ['help'], ['run', '--help'], ['serve', '-h']]) {
      const io = captureIo();
      expect(await main(argv, io)).toBe(0);
      expect(io.stdout.text()).toMatch(/^Memory Lab — .*\n\nUsage:\n {2}refheap-lab list/);
      expect(io.stdout.text()).toContain('-v, --version');
      expect(io.stderr.text()).toBe('');
    }
  });
  it('no command at all prints the usage on stderr, exit 2', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.stderr.text()).toContain('Usage:');
    expect(io.stdout.text()).toBe('');
  });
});

describe('usage errors', () => {
  it('an unknown option is named in one line with a pointer to --help, not Node\'s parser text', async () => {
    const io = captureIo();
    expect(await main(['run', 'refcount', '--frob'], io)).toBe(2);
    expect(io.stderr.text()).toBe("refheap-lab: unknown option '--frob'\nRun 'refheap-lab --help' for the commands and options.\n");
  });
  it('an unknown command lists the commands', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr.text()).toContain("unknown command 'frobnicate'. The commands are list, run, program, serve.");
  });
  it('an option the command does not take is refused', async () => {
    for (const [argv, message] of [
      [['list', '--port', '80'], 'list does not take --port'],
      [['run', 'refcount', '--open'], 'run does not take --open'],
      [['serve', '--all'], 'serve does not take --all'],
      [['serve', 'refcount'], "serve takes no names (got 'refcount'); to start on a scenario use --scenario <name>"],
      [['list', 'refcount'], "list takes no names (got 'refcount')"],
    ] as const) {
      const io = captureIo();
      expect(await main(argv, io)).toBe(2);
      expect(io.stderr.text()).toContain(`refheap-lab: ${message}`);
      expect(io.stdout.text()).toBe('');
    }
  });
  it('--port must be a whole number from 0 to 65535', async () => {
    for (const port of ['eighty', '-1', '65536', '1.5', '0x50', '']) {
      const io = captureIo();
      expect(await main(['serve', `--port=${port}`], io)).toBe(2);
      expect(io.stderr.text()).toContain(`--port must be a whole number from 0 to 65535, not '${port}'`);
    }
  });
});

describe('colour per stream', () => {
  it('stdout at a terminal and stderr into a pipe: the narration is coloured, the error is not', async () => {
    const io = { stdout: captureStream(true), stderr: captureStream(false), env: {} };
    expect(await main(['run', 'a-b-cylce'], io)).toBe(2);
    expect(io.stderr.text()).toContain("Did you mean 'a-b-cycle'?");
    expect(io.stderr.text()).not.toContain(ESC);
  });
  it('stderr at a terminal colours its error even when stdout is piped', async () => {
    const io = { stdout: captureStream(false), stderr: captureStream(true), env: {} };
    expect(await main(['run', 'a-b-cylce'], io)).toBe(2);
    expect(io.stderr.text()).toContain(`${ESC}31mrefheap-lab:`);
  });
  it('NO_COLOR set but empty does not turn colour off (no-color.org); FORCE_COLOR=0 does not force it', async () => {
    const empty = captureIo({ tty: true, env: { NO_COLOR: '' } });
    await main(['list'], empty);
    expect(empty.stdout.text()).toContain(ESC);
    const zero = captureIo({ env: { FORCE_COLOR: '0' } });
    await main(['list'], zero);
    expect(zero.stdout.text()).not.toContain(ESC);
    const forced = captureIo({ env: { FORCE_COLOR: '1' } });
    await main(['list'], forced);
    expect(forced.stdout.text()).toContain(ESC);
  });
  it('--no-color wins over a terminal and FORCE_COLOR; --json never colours', async () => {
    const off = captureIo({ tty: true, env: { FORCE_COLOR: '1' } });
    await main(['list', '--no-color'], off);
    expect(off.stdout.text()).not.toContain(ESC);
    const json = captureIo({ tty: true, env: { FORCE_COLOR: '1' } });
    await main(['list', '--json', '--color'], json);
    expect(json.stdout.text()).not.toContain(ESC);
  });
});
