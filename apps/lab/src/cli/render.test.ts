/**
 * The narration fits the terminal it is printed on: a wide terminal shows long program lines
 * whole, with their line numbers; a narrow one wraps them; a pipe gets a fixed width; a long
 * line is wrapped, never cut off.
 */
import { describe, expect, it } from 'vitest';
import { captureIo } from './capture.ts';
import { main } from './main.ts';
import { wrapCode } from './render.ts';
import { outputColumns, PIPE_COLUMNS } from './width.ts';

const LONG_PYTHON = 'cls.instances = [r for r in cls.instances if r() is not None]';

async function narrate(name: string, tty: boolean, columns: number): Promise<string[]> {
  const io = captureIo({ tty, columns, env: { NO_COLOR: '1' } });
  expect(await main(['run', name], io)).toBe(0);
  return io.stdout.text().split('\n');
}

describe('wrapCode', () => {
  it('cuts a line into rows no wider than asked, marks the continuations, and loses nothing', () => {
    const line = 'py.borrow(heap.getAttr(Tracked.object, "instances")).append(weakref.ref(self));';
    for (const width of [12, 20, 33, 79]) {
      const rows = wrapCode(line, width);
      expect(rows.every((r) => r.length <= width)).toBe(true);
      expect(rows.slice(1).every((r) => r.startsWith('↪ '))).toBe(true);
      expect(rows.map((r) => r.replace(/^↪ /, '')).join('').replace(/ /g, '')).toBe(line.replace(/ /g, ''));
    }
    expect(wrapCode('short', 10)).toEqual(['short']);
    expect(wrapCode('', 10)).toEqual(['']);
  });
});

describe('the width the narration is laid out at', () => {
  it("is the terminal's at a TTY (at least 40), a fixed width into a pipe whatever the stream claims", () => {
    expect(outputColumns({ write: () => 0, isTTY: true, columns: 180 })).toBe(180);
    expect(outputColumns({ write: () => 0, isTTY: true, columns: 20 })).toBe(40);
    expect(outputColumns({ write: () => 0, isTTY: true })).toBe(PIPE_COLUMNS);
    expect(outputColumns({ write: () => 0, isTTY: false, columns: 300 })).toBe(PIPE_COLUMNS);
  });

  it('a wide terminal shows a long program line whole, after its line number, nothing cut', async () => {
    const lines = await narrate('live-instances', true, 200);
    expect(lines.some((l) => /^ {4}\d+ │ {9}cls\.instances = \[r for r in cls\.instances if r\(\) is not None\]$/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain('…');
    expect(lines.join('\n')).not.toContain('↪');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(200);
  });

  it('into a pipe every line fits the fixed width; long lines wrap with a mark instead of being cut', async () => {
    for (const name of ['live-instances', 'a-b-cycle', 'leaky-cache', 'tracemalloc']) {
      const lines = await narrate(name, false, 300);
      expect(lines.filter((l) => l.length > PIPE_COLUMNS)).toEqual([]);
    }
  });

  it('a narrow terminal wraps the code to its width, the long line all there across its rows', async () => {
    const lines = await narrate('live-instances', true, 60);
    expect(lines.filter((l) => l.length > 60)).toEqual([]);
    const at = lines.findIndex((l) => l.includes('cls.instances = [r for r'));
    const rows = [lines[at]!.replace(/^\s*\d+ │\s+/, ''), lines[at + 1]!.replace(/^\s*│ ↪ /, '')];
    expect(rows.join(' ')).toBe(LONG_PYTHON);
  });
});
