import { describe, expect, it } from 'vitest';
import { captureStream } from './capture.ts';
import { runProgress } from './progress.ts';

describe('the run progress line', () => {
  it('draws on a terminal stderr while stdout is a pipe, one line redrawn in place, erased at the end', () => {
    const stdout = captureStream(false);
    const stderr = captureStream(true, 80);
    const progress = runProgress(stdout, stderr, 4, false);
    progress.start(0, 'refcount');
    progress.start(2, 'a-b-cycle');
    progress.finish();
    const text = stderr.text();
    expect(text).toContain('\r  [------------------------] 0/4  refcount');
    expect(text).toContain('\r  [############------------] 2/4  a-b-cycle');
    expect(text.includes('\n')).toBe(false);
    expect(text.endsWith('\r')).toBe(true);
    expect(stdout.text()).toBe('');
  });

  it('draws for --json even when stdout is the terminal, since the document is not narration', () => {
    const stderr = captureStream(true, 80);
    runProgress(captureStream(true), stderr, 2, true).start(1, 'ids');
    expect(stderr.text()).toContain('1/2  ids');
  });

  it('stays silent when the narration is on the terminal, or stderr is not one', () => {
    for (const [stdoutTTY, stderrTTY] of [
      [true, true],
      [false, false],
      [true, false],
    ] as const) {
      const stderr = captureStream(stderrTTY, 80);
      const progress = runProgress(captureStream(stdoutTTY), stderr, 3, false);
      progress.start(0, 'x');
      progress.finish();
      expect(stderr.text()).toBe('');
    }
  });

  it('cuts a long label to the terminal width', () => {
    const stderr = captureStream(true, 50);
    runProgress(captureStream(false), stderr, 1, true).start(0, 'x'.repeat(200));
    expect(stderr.text().length).toBeLessThanOrEqual(50);
  });
});
