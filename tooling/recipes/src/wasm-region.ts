// A region of a WebAssembly.Memory owned by a heap object: handed back to its allocator
// when the last owner lets go, so the memory is reused at once.
import { Handles, Heap } from '@refheap/core';

// Node has WebAssembly at run time; @types/node declares its types but not the global value
// (lib "DOM" does). Say what is used of it:
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (pages: { initial: number }) => WasmMemory } })
  .WebAssembly;

/** A first-fit allocator over one WebAssembly.Memory page (64 KiB), in 1 KiB blocks. */
class PageAllocator {
  readonly memory = new Memory({ initial: 1 });
  readonly #used = new Uint8Array(64);

  allocate(kib: number): number {
    for (let start = 0; start + kib <= this.#used.length; start++) {
      if (this.#used.subarray(start, start + kib).every((u) => u === 0)) {
        this.#used.fill(1, start, start + kib);
        return start * 1024;
      }
    }
    throw new RangeError(`no room for ${kib} KiB`);
  }

  free(offset: number, kib: number): void {
    this.#used.fill(0, offset / 1024, offset / 1024 + kib);
  }

  get freeKiB(): number {
    return this.#used.filter((u) => u === 0).length;
  }
}

const allocator = new PageAllocator();
const heap = new Heap();
const py = new Handles(heap);

// Offset and size are int32 slots: plain integers, not references.
const Region = py.defineClass('Region', {
  slots: [
    { name: 'offset', kind: 'int32' },
    { name: 'kib', kind: 'int32' },
  ],
  finalize: (h, self) => allocator.free(h.getSlotInt(self, 0), h.getSlotInt(self, 1)),
});

function region(kib: number): ReturnType<Handles['new']> {
  return py.new(Region, { offset: allocator.allocate(kib), kib });
}

const a = region(16);
const b = region(32);
new Uint8Array(allocator.memory.buffer, a.read<number>('offset'), 16 * 1024).fill(7);
console.log('free KiB with two regions:', allocator.freeKiB); // 16
a.release();
console.log('free KiB after releasing a:', allocator.freeKiB); // 32
const c = region(16); // reuses a's blocks
console.log('c took a’s place:', c.read('offset') === 0); // true
b.release();
c.release();
console.log('free KiB at the end:', allocator.freeKiB); // 64
