// A file descriptor owned by a heap object: closed the moment its last owner lets go,
// and by the collector when the object sits only in a leaked cycle.
import { closeSync, fstatSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Handles, Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';

const heap = new Heap();
const py = new Handles(heap);
const gc = new Collector(heap);

// `fd` is a js slot: any JS value, not a reference; the finalizer still sees it.
const File = py.defineClass('File', {
  slots: [{ name: 'fd', kind: 'js' }, 'owner'],
  finalize: (h, self) => closeSync(h.getSlotValue(self, 0) as number),
});

const isOpen = (fd: number): boolean => {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
};

const dir = mkdtempSync(join(tmpdir(), 'refheap-'));
const fd = openSync(join(dir, 'log.txt'), 'w');
const file = py.new(File, { fd });
writeSync(file.read<number>('fd'), 'hello\n');

// Several owners: a list and a dict hold it too. Releasing the handle leaves it open.
const list = py.list([file]);
const registry = py.dict({ log: file });
file.release();
list.release();
console.log('open while the dict holds it:', isOpen(fd)); // true
registry.release();
console.log('open after the last owner let go:', isOpen(fd)); // false

// A leaked cycle: the file refers to itself, so no count reaches zero on release.
const fd2 = openSync(join(dir, 'cycle.txt'), 'w');
const leaked = py.new(File, { fd: fd2 });
leaked.set('owner', leaked);
leaked.release();
console.log('open in a leaked cycle:', isOpen(fd2)); // true
gc.collect();
console.log('open after gc.collect():', isOpen(fd2)); // false
