/**
 * "Did you mean: 'print'?" — Python/suggestions.c, which 3.11's traceback printer consults for
 * a NameError: the closest name among the failing frame's locals, then its globals, then the
 * builtins, by a Levenshtein distance where a case change costs half a substitution.
 */
const MAX_CANDIDATE_ITEMS = 750;
const MAX_STRING_SIZE = 40;
const MOVE_COST = 2;
const CASE_COST = 1;

function substitutionCost(a: number, b: number): number {
  if ((a & 31) !== (b & 31)) return MOVE_COST;
  if (a === b) return 0;
  const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  return lower(a) === lower(b) ? CASE_COST : MOVE_COST;
}

/** levenshtein_distance, on UTF-8 bytes as CPython measures them (ASCII names: characters). */
function distance(left: string, right: string, maxCost: number): number {
  if (left === right) return 0;
  let a = [...new TextEncoderLike(left)];
  let b = [...new TextEncoderLike(right)];
  while (a.length > 0 && b.length > 0 && a[0] === b[0]) {
    a = a.slice(1);
    b = b.slice(1);
  }
  while (a.length > 0 && b.length > 0 && a[a.length - 1] === b[b.length - 1]) {
    a = a.slice(0, -1);
    b = b.slice(0, -1);
  }
  if (a.length === 0 || b.length === 0) return (a.length + b.length) * MOVE_COST;
  if (a.length > MAX_STRING_SIZE || b.length > MAX_STRING_SIZE) return maxCost + 1;
  if (b.length < a.length) [a, b] = [b, a];
  if ((b.length - a.length) * MOVE_COST > maxCost) return maxCost + 1;
  const buffer = a.map((_, i) => (i + 1) * MOVE_COST);
  let result = 0;
  for (let bi = 0; bi < b.length; bi++) {
    const code = b[bi]!;
    let d = (result = bi * MOVE_COST);
    let minimum = Infinity;
    for (let ai = 0; ai < a.length; ai++) {
      const substitute = d + substitutionCost(code, a[ai]!);
      d = buffer[ai]!;
      const insertDelete = Math.min(result, d) + MOVE_COST;
      result = Math.min(insertDelete, substitute);
      buffer[ai] = result;
      if (result < minimum) minimum = result;
    }
    if (minimum > maxCost) return maxCost + 1;
  }
  return result;
}

/** A string's UTF-8 bytes, without TextEncoder (the library runs where the DOM types are absent). */
class TextEncoderLike implements Iterable<number> {
  constructor(readonly text: string) {}
  *[Symbol.iterator](): Iterator<number> {
    for (const ch of this.text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) yield cp;
      else if (cp < 0x800) yield* [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
      else if (cp < 0x10000) yield* [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
      else yield* [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    }
  }
}

/** calculate_suggestions: the best candidate for `name`, or null. */
export function suggest(name: string, candidates: readonly string[]): string | null {
  if (candidates.length >= MAX_CANDIDATE_ITEMS) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  const size = new TextEncoderLike(name);
  const nameSize = [...size].length;
  for (const item of candidates) {
    if (item === name) continue;
    const itemSize = [...new TextEncoderLike(item)].length;
    let maxDistance = Math.floor(((nameSize + itemSize + 3) * MOVE_COST) / 6);
    maxDistance = Math.min(maxDistance, bestDistance - 1);
    const d = distance(name, item, maxDistance);
    if (d > maxDistance) continue;
    if (best === null || d < bestDistance) {
      best = item;
      bestDistance = d;
    }
  }
  return best;
}
