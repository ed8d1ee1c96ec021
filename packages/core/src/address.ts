/**
 * Object ids that look like CPython's: an address-like integer printed in hex.
 * The heap's tag sits above the object index so an id from one heap is never
 * mistaken for an object of another; the index is scaled by 16 because
 * CPython objects are 16-byte aligned, which is what people expect to see.
 */

const ADDRESS_BASE = 0x7f00_0000_0000;
const TAG_UNIT = 0x1_0000_0000;
const ALIGN = 16;

/** Indexes one heap's ids can tell apart: past this, index × 16 reaches the next heap tag's ids. */
export const MAX_OBJECTS: number = TAG_UNIT / ALIGN;

/** The id of object `index` in the heap tagged `tag`. Tags past 255 make a thirteenth hex digit. */
export function addressOf(tag: number, index: number): number {
  return ADDRESS_BASE + tag * TAG_UNIT + index * ALIGN;
}

/** Splits an id into heap tag and object index, or returns undefined when it is not one of ours. */
export function decodeAddress(address: number): { tag: number; index: number } | undefined {
  if (!Number.isSafeInteger(address) || address < ADDRESS_BASE) return undefined;
  const offset = address - ADDRESS_BASE;
  const tag = Math.floor(offset / TAG_UNIT);
  const within = offset - tag * TAG_UNIT;
  if (within % ALIGN !== 0) return undefined;
  return { tag, index: within / ALIGN };
}

/**
 * `0x7f3a00000010`, as `hex(id(obj))` prints. Only a non-negative safe integer can be an
 * address; anything else (a bad id handed to `objectAt`: -1, 1.5, 1e300, NaN) prints as
 * given, `String(address)`, never as `0x-1`, `0x1.8` or a few hundred hex digits.
 */
export function formatAddress(address: number): string {
  if (!Number.isSafeInteger(address) || address < 0) return String(address);
  return `0x${address.toString(16)}`;
}
