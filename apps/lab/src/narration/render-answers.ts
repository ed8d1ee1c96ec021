/** The text of cpython-answers.ts for a set of answers (the recorder writes it, the tests compare it). */
import type { FactValue } from '../scenario.ts';

export function renderAnswers(all: Readonly<Record<string, Readonly<Record<string, FactValue>>>>): string {
  const body = Object.entries(all)
    .map(([name, answers]) => {
      const rows = Object.entries(answers).map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
      return `  ${JSON.stringify(name)}: {\n${rows.join('\n')}\n  },`;
    })
    .join('\n');
  return (
    '/**\n * What python3 (CPython 3.11) answered for each scenario\'s checked facts, recorded by\n' +
    ' * record-cpython.ts from runs of the scenarios\' programs. Generated: do not edit by hand.\n */\n' +
    "import type { FactValue } from '../scenario.ts';\n\n" +
    `export const cpythonAnswers: Readonly<Record<string, Readonly<Record<string, FactValue>>>> = {\n${body}\n};\n`
  );
}
