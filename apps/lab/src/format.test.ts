/** Values read as Python prints them. */
import { expect, it } from 'vitest';
import { formatValue } from './format.ts';

it('spells values as Python does', () => {
  expect(formatValue(true)).toBe('True');
  expect(formatValue(null)).toBe('None');
  expect(formatValue('[1, [2, [...]]]')).toBe('[1, [2, [...]]]');
  expect(formatValue([1, 'list', false, null])).toBe("[1, 'list', False, None]");
  expect(formatValue(["it's", 'a\nb'])).toBe(`["it's", 'a\\nb']`);
});
