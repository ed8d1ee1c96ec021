/** The names' counts after each step: true counts, rebinding and deletion told apart, immortal counts left out. */
import { expect, it } from 'vitest';
import { countChanges, nameCountsAfter } from './name-counts.ts';

it('reads the true count of what each module-level name points at, after each step', () => {
  const source = 'import gc\ndef f(): pass\nx = 3\nx = []\ny = x\ndel y\n';
  const after = nameCountsAfter(source, 'p.py', 100);
  expect(after).toHaveLength(7);
  expect(Object.keys(after[6]!)).toEqual(['x']); // not gc, not f
  const changes = after.slice(1).map((counts, i) => countChanges(after[i]!, counts));
  expect(changes).toEqual([[], [], ['x (new)'], ['x rebound (1)'], ['x 1 → 2', 'y 2 (new)'], ['x 2 → 1', 'y deleted']]);
});

it('stops reading after the steps asked for', () => {
  expect(nameCountsAfter('a = []\nwhile True:\n    a.append(1)\n', 'p.py', 10)).toHaveLength(11);
});
