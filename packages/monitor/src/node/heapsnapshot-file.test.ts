import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Heap } from '@refheap/core';
import { afterEach, describe, expect, it } from 'vitest';
import { heapSnapshot } from '../heapsnapshot.ts';
import { writeHeapSnapshot } from './heapsnapshot-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeHeapSnapshot', () => {
  it('streams the snapshot to a .heapsnapshot file', async () => {
    const heap = new Heap();
    const refs = Array.from({ length: 3000 }, (_, i) => heap.newList([heap.None, heap.True, i % 2 ? heap.False : heap.None]));
    const dir = mkdtempSync(join(tmpdir(), 'refheap-snap-'));
    dirs.push(dir);
    const path = join(dir, 'heap.heapsnapshot');
    const written = await writeHeapSnapshot(heap, path, { chunkNodes: 100 });
    expect(written.path).toBe(path);
    expect(written.nodes).toBe(heap.liveObjects + 3);
    expect(readFileSync(path, 'utf8')).toBe(heapSnapshot(heap));
    for (const r of refs) heap.decref(r);
  });

  it('writes the same text as a .heaptimeline, the name DevTools opens as an allocation timeline', async () => {
    const heap = new Heap();
    const list = heap.newList();
    const dir = mkdtempSync(join(tmpdir(), 'refheap-snap-'));
    dirs.push(dir);
    const path = join(dir, 'heap.heaptimeline');
    await writeHeapSnapshot(heap, path);
    expect(readFileSync(path, 'utf8')).toBe(heapSnapshot(heap));
    heap.decref(list);
  });

  it('refuses a name Chrome would not open, and reports a directory that does not exist', async () => {
    const heap = new Heap();
    await expect(writeHeapSnapshot(heap, '/tmp/heap.json')).rejects.toThrow(/must end in \.heapsnapshot or \.heaptimeline/);
    await expect(writeHeapSnapshot(heap, '/nonexistent-dir/x/heap.heapsnapshot')).rejects.toThrow(/ENOENT/);
  });
});
