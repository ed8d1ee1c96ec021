/**
 * Colour only for a person at a terminal, decided per stream: stdout and stderr
 * each get colour when that stream is a TTY, none when piped or under NO_COLOR
 * (set and not empty) / TERM=dumb / --no-color; FORCE_COLOR (not "0") or --color
 * turn it on. picocolors' own default turns colour on whenever CI is set, even
 * into a pipe, so the decision is made here and handed to `createColors`.
 */
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** The colours for each of the two streams a command writes to. */
export interface Palette {
  readonly out: Colors;
  readonly err: Colors;
}

export function colorEnabled(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
  flag: boolean | undefined,
): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return stream.isTTY === true && !noColor && env.TERM !== 'dumb';
}

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
