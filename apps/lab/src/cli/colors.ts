/**
 * Colour only for a person at a terminal: on when the stream is a TTY, off when
 * piped or under NO_COLOR / TERM=dumb / --no-color; FORCE_COLOR or --color turn
 * it on. picocolors' own default turns colour on whenever CI is set, even into a
 * pipe, so the decision is made here and handed to `createColors`.
 */
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorEnabled(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
  flag: boolean | undefined,
): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
