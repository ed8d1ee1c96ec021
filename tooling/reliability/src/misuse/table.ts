/**
 * Runs every misuse case and writes what happened as a Markdown table: the
 * package, the input, the error's class and its message (addresses masked,
 * since they differ from run to run).
 */
import { misuseCases } from './cases.ts';

export interface Outcome {
  readonly package: string;
  readonly input: string;
  readonly error: string;
  readonly message: string;
}

export function runCases(): Outcome[] {
  return misuseCases.map((c) => {
    try {
      c.run();
    } catch (error) {
      const name = error instanceof Error ? error.constructor.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      return { package: c.package, input: c.input, error: name, message: message.replace(/0x[0-9a-f]+/g, '0x…').replace(/tag \d+/g, 'tag N').replace(/heap is \d+/g, 'heap is N') };
    }
    return { package: c.package, input: c.input, error: '(nothing raised)', message: '' };
  });
}

export function misuseTable(outcomes: readonly Outcome[]): string {
  const escape = (text: string): string => text.replaceAll('|', '\\|');
  const lines = [
    '# Bad input, and what each package says',
    '',
    'Every misuse refheap rejects, run by the tests (`tooling/reliability/src/misuse`). This page is',
    'written by `pnpm docs:misuse` from those runs, and a test fails if it falls out of date.',
    '',
    '| package | input | error | message |',
    '|---|---|---|---|',
    ...outcomes.map((o) => `| ${o.package} | ${escape(o.input)} | \`${o.error}\` | ${escape(o.message)} |`),
    '',
  ];
  return lines.join('\n');
}
