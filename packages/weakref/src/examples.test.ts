import { describe, expect, it } from 'vitest';
import { seeds } from '../examples/seeds.ts';

describe("examples/seeds.ts (the README's walk-through)", () => {
  it("prints what the seeds' Python prints", () => {
    const lines: string[] = [];
    seeds((line) => lines.push(line));
    expect(lines.join('\n')).toBe(
      [
        'The weak cache (WeakValueDictionary, created on a miss):',
        '  Cache miss for key1',
        '  obj1 is obj2: true; computed = 15',
        '  after del obj1, obj2: 0 cached',
        '  Cache miss for key1',
        '  hits=1 misses=2 evictions=2',
        '',
        'The resource pool (WeakSet):',
        '  inside: active resources = 1',
        '  Active resources: 0',
        '',
        'Tracking live instances (weakref.ref):',
        '  Live instances: 1 (second)',
        '',
        'A callback runs the moment the object goes; a dead proxy raises:',
        '  p.name = second',
        "  callback: <weakref at 0x…; dead>",
        '  PyReferenceError: weakly-referenced object no longer exists',
        '',
        'Live objects left: 0 weak references',
      ].join('\n'),
    );
  });
});
