/**
 * The seeds' weak-reference examples, run on refheap: the weak cache exercise (a
 * WeakValueDictionary that creates on a miss and never keeps an object alive), the
 * resource pool that counts live resources with a WeakSet, tracking live instances with
 * weak references, a callback and a proxy.
 *
 *     npx tsx --conditions=@refheap/source packages/weakref/examples/seeds.ts
 */
import { type Handle, Handles, Heap } from '@refheap/core';
import * as weakref from '@refheap/weakref';

export function seeds(print: (line: string) => void = console.log): void {
  const heap = new Heap();
  const py = new Handles(heap);

  // ── The weak cache exercise ────────────────────────────────────────────────
  // class SmartCache:
  //     def __init__(self): self._cache = weakref.WeakValueDictionary()
  //     def get_or_create(self, key, data): …
  print('The weak cache (WeakValueDictionary, created on a miss):');
  const ExpensiveObject = py.defineClass('ExpensiveObject');
  const cache = new weakref.WeakCache<string>(heap);
  const getOrCreate = (key: string, data: number[]): Handle =>
    cache.get(key, () => {
      print(`  Cache miss for ${key}`);
      return py.new(ExpensiveObject, { data: py.list(data), computed: data.reduce((a, b) => a + b, 0) });
    });
  py.scope(() => {
    const obj1 = getOrCreate('key1', [1, 2, 3, 4, 5]);
    const obj2 = getOrCreate('key1', [1, 2, 3, 4, 5]); // Cache hit
    print(`  obj1 is obj2: ${obj1.is(obj2)}; computed = ${String(obj1.read('computed'))}`);
  }); // del obj1, obj2: nothing else holds the object, so it is gone
  print(`  after del obj1, obj2: ${cache.size} cached`);
  py.scope(() => {
    getOrCreate('key1', [1, 2, 3, 4, 5]); // Cache miss
  });
  const { hits, misses, evictions } = cache.stats;
  print(`  hits=${hits} misses=${misses} evictions=${evictions}`);

  // ── The resource pool ──────────────────────────────────────────────────────
  // class ResourcePool: self._resources = weakref.WeakSet() …
  print('\nThe resource pool (WeakSet):');
  const Resource = py.defineClass('Resource');
  const resources = new weakref.WeakSet(heap);
  const acquire = (): Handle => {
    const resource = py.new(Resource, { data: py.list() });
    resources.add(resource);
    return resource;
  };
  py.scope(() => {
    // with managed_resource(pool) as res:
    const res = acquire();
    print(`  inside: active resources = ${resources.size}`);
    res.set('data', null); // resource.close()
  });
  print(`  Active resources: ${resources.size}`); // Should be 0

  // ── Tracking live instances ────────────────────────────────────────────────
  // class TrackedObject:
  //     instances = []
  //     def __init__(self, name): … TrackedObject.instances.append(weakref.ref(self))
  print('\nTracking live instances (weakref.ref):');
  const TrackedObject = py.defineClass('TrackedObject');
  let instances: weakref.WeakReference[] = [];
  const tracked = (name: string): Handle => {
    const obj = py.new(TrackedObject, { name });
    instances.push(weakref.ref(obj));
    return obj;
  };
  const getLiveInstances = (): Handle[] => {
    // cls.instances = [ref for ref in cls.instances if ref() is not None]
    const [alive, dead] = [instances.filter((r) => r.alive), instances.filter((r) => !r.alive)];
    for (const r of dead) r.release();
    instances = alive;
    return instances.map((r) => r.deref()!);
  };
  const obj1 = tracked('first');
  const obj2 = tracked('second');
  obj1.release(); // del obj1
  const live = getLiveInstances();
  print(`  Live instances: ${live.length} (${live.map((h) => String(h.read('name'))).join(', ')})`);
  for (const h of live) h.release();

  // ── A callback, and a proxy ────────────────────────────────────────────────
  print('\nA callback runs the moment the object goes; a dead proxy raises:');
  const r = weakref.ref(obj2, (wr) => print(`  callback: ${wr.repr().replace(/0x[0-9a-f]+/g, '0x…')}`));
  const p = weakref.proxy<{ name: string }>(obj2);
  print(`  p.name = ${p.name}`);
  obj2.release(); // del obj2
  try {
    print(p.name);
  } catch (error) {
    print(`  ${(error as Error).name}: ${(error as Error).message}`);
  }
  r.release();
  p[Symbol.dispose]();
  for (const wr of instances) wr.release();
  print(`\nLive objects left: ${heap.stats().byType.filter((t) => t.type.startsWith('weakref')).length} weak references`);
}

if (import.meta.url === `file://${process.argv[1]}`) seeds();
