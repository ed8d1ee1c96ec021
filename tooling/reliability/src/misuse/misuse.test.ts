import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { misuseCases } from './cases.ts';
import { misuseTable, runCases } from './table.ts';

describe('every misuse raises its typed error', () => {
  for (const c of misuseCases) {
    test(`${c.package}: ${c.input} → ${c.error}`, () => {
      let raised: unknown;
      try {
        c.run();
      } catch (error) {
        raised = error;
      }
      expect(raised).toBeInstanceOf(Error);
      expect((raised as Error).constructor.name).toBe(c.error);
      expect((raised as Error).message.length).toBeGreaterThan(0);
    });
  }
});

test('docs/misuse.md is what the cases produce today (run `pnpm docs:misuse` after changing them)', () => {
  const committed = readFileSync(fileURLToPath(new URL('../../../../docs/misuse.md', import.meta.url)), 'utf8');
  expect(committed).toBe(misuseTable(runCases()));
});
