/**
 * The seeds' code blocks kept in test-support/seeds.ts are the seeds' own lines: checked against
 * ../shared/seeds when the repository sits beside it (as it does where the lessons are written).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { SEED_BLOCKS } from './test-support/seeds.ts';

const seeds = fileURLToPath(new URL('../../../../shared/seeds/', import.meta.url));

describe.skipIf(!existsSync(seeds))('the seed blocks are the seeds’ lines', () => {
  test('every seed has its blocks here', () => {
    const files = readdirSync(seeds).filter((file) => /\.(txt|md)$/.test(file));
    expect(new Set(SEED_BLOCKS.map((block) => block.seed))).toEqual(new Set(files));
  });
  for (const block of SEED_BLOCKS) {
    test(block.name, () => {
      const lines = readFileSync(`${seeds}${block.seed}`, 'utf8').split('\n');
      const text = block.text.replace(/\n$/, '').split('\n');
      expect(lines.slice(block.line - 1, block.line - 1 + text.length)).toEqual(text);
    });
  }
});
