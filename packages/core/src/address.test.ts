/**
 * An id names itself in errors as it was given. Only a non-negative safe integer is shown as
 * an address in hex (`hex(id(obj))`); anything else — negative, fractional, past 2**53 — is
 * printed as `String(id)`, never as `0x-1`, `0x1.8` or a few hundred hex digits.
 */
import { describe, expect, it } from 'vitest';
import { Heap, StaleIdError, formatAddress } from './index.ts';

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('heap.objectAt(id) names a bad id as it was given', () => {
  it.each([
    [-1, '-1 is not an object id'],
    [-16, '-16 is not an object id'],
    [1.5, '1.5 is not an object id'],
    [0.1, '0.1 is not an object id'],
    [2 ** 53, '9007199254740992 is not an object id'],
    [-(2 ** 53), '-9007199254740992 is not an object id'],
    [2 ** 80, '1.2089258196146292e+24 is not an object id'],
    [1e300, '1e+300 is not an object id'],
    [Number.MAX_VALUE, '1.7976931348623157e+308 is not an object id'],
    [Number.NaN, 'NaN is not an object id'],
    [Infinity, 'Infinity is not an object id'],
    [-Infinity, '-Infinity is not an object id'],
  ])('objectAt(%s) raises StaleIdError "%s"', (id, message) => {
    const heap = new Heap();
    heap.newList();
    const error = thrown(() => heap.objectAt(id));
    expect(error).toBeInstanceOf(StaleIdError);
    expect((error as StaleIdError).reason).toBe('never');
    expect((error as StaleIdError).message).toBe(message);
  });

  it('an id one short of a real one (a non-negative safe integer) is still shown in hex', () => {
    const heap = new Heap();
    const id = heap.id(heap.newList());
    expect((thrown(() => heap.objectAt(id + 8)) as Error).message).toBe(`0x${(id + 8).toString(16)} is not an object id`);
    expect((thrown(() => heap.objectAt(12345)) as Error).message).toBe('0x3039 is not an object id');
    expect((thrown(() => heap.objectAt(0)) as Error).message).toBe('0x0 is not an object id');
  });
});

describe('formatAddress', () => {
  it('a non-negative safe integer prints as hex(id(obj)) does', () => {
    expect(formatAddress(0)).toBe('0x0');
    expect(formatAddress(0x7f3a_0000_0010)).toBe('0x7f3a00000010');
    expect(formatAddress(Number.MAX_SAFE_INTEGER)).toBe('0x1fffffffffffff');
    const heap = new Heap();
    const l = heap.newList();
    expect(formatAddress(heap.id(l))).toBe(heap.hexId(l));
  });

  it('anything else prints as String(address): no 0x-1, 0x1.8, nor hundreds of hex digits', () => {
    for (const bad of [-1, 1.5, -0.5, 2 ** 53, 1e300, Number.MAX_VALUE, Number.NaN, Infinity, -Infinity]) {
      expect(formatAddress(bad)).toBe(String(bad));
    }
    expect(formatAddress(Number.MAX_VALUE).length).toBeLessThan(30);
  });
});
