import { describe, expect, it } from 'vitest';
import { fnmatch } from './fnmatch.ts';

describe("Python's fnmatch", () => {
  it('matches *, ? and sets, with * crossing slashes', () => {
    expect(fnmatch('/x/y.py', '*.py')).toBe(true);
    expect(fnmatch('/x/y.ts', '*.py')).toBe(false);
    expect(fnmatch('/src/app/leak.ts', '*/app/*')).toBe(true);
    expect(fnmatch('a1', 'a?')).toBe(true);
    expect(fnmatch('a12', 'a?')).toBe(false);
    expect(fnmatch('b.py', '[a-c].py')).toBe(true);
    expect(fnmatch('d.py', '[!a-c].py')).toBe(true);
    expect(fnmatch('b.py', '[!a-c].py')).toBe(false);
    expect(fnmatch(']', '[]]')).toBe(true);
  });

  it('treats what would be a bad pattern as CPython does: literally, or matching nothing', () => {
    expect(fnmatch('a[b', 'a[b')).toBe(true); // unclosed bracket is a literal
    expect(fnmatch('zx', '[z-a]x')).toBe(false); // reversed range matches nothing
    expect(fnmatch('a\\b', 'a\\b')).toBe(true); // backslash is not an escape
    expect(fnmatch('x', '')).toBe(false);
    expect(fnmatch('', '')).toBe(true);
    expect(fnmatch('(a+)', '(a+)')).toBe(true); // regex syntax is literal
    expect(fnmatch('<unknown>', '<unknown>')).toBe(true);
  });

  it('anchors the whole name and lets * match newlines', () => {
    expect(fnmatch('xa.py', 'a.py')).toBe(false);
    expect(fnmatch('a\nb', 'a*b')).toBe(true);
  });
});
