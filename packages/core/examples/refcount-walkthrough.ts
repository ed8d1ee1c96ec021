/**
 * The seeds' reference-counting walk-through, run on refheap: what makes a
 * reference, how `sys.getrefcount` sees it, and two lists that hold each other.
 *
 *     npx tsx packages/core/examples/refcount-walkthrough.ts
 */
import { Handles, Heap } from '@refheap/core';

const heap = new Heap();
const py = new Handles(heap);
const say = (python: string, value: unknown, note = ''): void => {
  console.log(`${python.padEnd(28)} ${String(value).padEnd(12)} ${note}`);
};

console.log('Reference counting: every new reference raises the count; dropping one lowers it.\n');
const a = py.list();
say('a = []', py.getrefcount(a), 'getrefcount: the name a, plus the argument itself');
const b = a.dup();
say('b = a', py.getrefcount(a), 'a second name');
const l = py.list([1, 2, 3, a]);
say('l = [1, 2, 3, a]', py.getrefcount(a), 'a list slot holds it too');
b.release();
say('del b', py.getrefcount(a));
l.release();
say('del l', py.getrefcount(a), 'the list died and let go of its items');
py.call((x) => say('def f(x): getrefcount(x)', py.getrefcount(x), 'inside a call the parameter holds one more'), a);

const three = py.int(3);
say('getrefcount(3)', py.getrefcount(three), 'small ints are shared: -5…256 exist once');
three.release();

console.log('\nCircular references: counting alone never frees these.\n');
const l1 = py.list([1]);
const l2 = py.list([2]);
l1.append(l2);
l2.append(l1);
say('l1', l1.repr(), 'repr notices the cycle');
say('l2', l2.repr());
const id1 = l1.id;
l1.release();
l2.release();
say('del l1, l2', heap.refcount(heap.objectAt(id1)), 'still 1: l2 holds l1, and l1 holds l2');
console.log(`\n${heap.liveObjects} objects are alive; the two lists are unreachable garbage.`);
console.log('A cycle collector (@refheap/gc) finds and frees them — Memory Lab shows it step by step.');
a.release();
