/**
 * Python's `fnmatch`, which tracemalloc's filters use for file names: `*`
 * (anything, slashes included), `?`, `[seq]`, `[!seq]`. As in CPython, no
 * pattern is malformed: an unclosed `[` is a literal bracket and an empty or
 * reversed range matches nothing. Only a pattern that is not a string is an
 * error, and that is the caller's to raise.
 */

function escapeChar(ch: string): string {
  return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
}

/** The body of a `[...]` set (without the brackets) as a JS class body, or undefined when it can match nothing. */
function translateSet(body: string): string | undefined {
  const chars = [...body];
  const parts: string[] = [];
  for (let k = 0; k < chars.length; k++) {
    const c = chars[k]!;
    if (chars[k + 1] === '-' && k + 2 < chars.length) {
      const end = chars[k + 2]!;
      if (c.codePointAt(0)! <= end.codePointAt(0)!) parts.push(`${escapeChar(c)}-${escapeChar(end)}`);
      k += 2;
    } else parts.push(escapeChar(c));
  }
  return parts.length === 0 ? undefined : parts.join('');
}

/** `fnmatch.translate(pattern)` as a JavaScript RegExp (whole-string, dot matches newlines). */
export function translate(pattern: string): RegExp {
  const chars = [...pattern];
  const n = chars.length;
  let out = '';
  let i = 0;
  while (i < n) {
    const c = chars[i++]!;
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*';
    } else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i;
      if (j < n && chars[j] === '!') j++;
      if (j < n && chars[j] === ']') j++;
      while (j < n && chars[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
        continue;
      }
      let body = chars.slice(i, j).join('');
      i = j + 1;
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      const set = translateSet(body);
      if (set === undefined) out += negated ? '.' : '(?!)';
      else out += negated ? `[^${set}]` : `[${set}]`;
    } else out += escapeChar(c);
  }
  return new RegExp(`^(?:${out})$`, 'su');
}

/** `fnmatch.fnmatch(name, pattern)` (case-sensitive, as on POSIX). */
export function fnmatch(name: string, pattern: string): boolean {
  return translate(pattern).test(name);
}
