/**
 * Progress bars for slow scenario steps, drawn by cli-progress on stderr and
 * only when stderr is a terminal — stdout stays clean for `--json` and pipes.
 */
import cliProgress from 'cli-progress';
import type { Progress } from '../platform.ts';

const silent: Progress = { tick: () => undefined, done: () => undefined };

export function progressFactory(enabled: boolean): (label: string, total: number) => Progress {
  if (!enabled) return () => silent;
  return (label, total) => {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `  ${label.padEnd(22)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    let value = 0;
    return {
      tick: (amount = 1) => {
        value += amount;
        bar.update(value);
      },
      done: () => bar.stop(),
    };
  };
}
