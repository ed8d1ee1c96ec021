/**
 * The gc, weakref, tracemalloc and ctypes modules against python3: each snippet is written to
 * a file named `case.py` and run by `python3 case.py` in a scratch directory and by
 * refheap-python with filename 'case.py'; stdout must agree once addresses are normalized
 * (each distinct 0x… becomes 0xADDR1, 0xADDR2, … in order of first appearance). A snippet that
 * ends with an exception compares its traceback's last line too.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import * as library from '../../index.ts';
import { makeCtypesModule } from './ctypes.ts';
import { makeGcModule } from './gc.ts';
import { makeTracemallocModule } from './tracemalloc.ts';
import { makeWeakrefModule } from './weakref/index.ts';

interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}
interface PythonLike {
  readonly vm: { readonly moduleFactories: Map<string, (vm: never) => number> };
  run(source: string, options: { filename: string }): RunResult;
}
const Python = (library as unknown as { Python?: new () => PythonLike }).Python;

const FACTORIES = { gc: makeGcModule, weakref: makeWeakrefModule, tracemalloc: makeTracemallocModule, ctypes: makeCtypesModule };

/** A fresh interpreter, with these modules importable (if stdlib/index.ts has not registered them yet). */
function interpreter(): PythonLike {
  const py = new Python!();
  for (const [name, factory] of Object.entries(FACTORIES)) {
    if (!py.vm.moduleFactories.has(name)) py.vm.moduleFactories.set(name, factory);
  }
  return py;
}

function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings.raw }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(indent)).join('\n').replace(/[ ]+$/, '');
}

function normalize(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/0x[0-9a-fA-F]+/g, (address) => {
    const key = address.toLowerCase();
    let name = seen.get(key);
    if (name === undefined) {
      name = `0xADDR${seen.size + 1}`;
      seen.set(key, name);
    }
    return name;
  });
}

function lastLine(text: string): string {
  return text.split('\n').filter((line) => line.trim() !== '').at(-1) ?? '';
}

/** What a run prints, with its escaping exception's last line appended. */
function outcome(result: RunResult): string {
  const out = normalize(result.stdout);
  return result.exitCode === 0 ? out : `${out}${lastLine(result.stderr)}\n`;
}

/** Every snippet run by python3 as `python3 case.py` in its own scratch directory; one process for all. */
function cpython(snippets: Record<string, string>): Record<string, RunResult> {
  const driver = py`
    import json, os, subprocess, sys, tempfile
    out = {}
    for name, source in json.load(sys.stdin).items():
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, 'case.py'), 'w') as f:
                f.write(source)
            p = subprocess.run([sys.executable, 'case.py'], cwd=tmp, capture_output=True, text=True)
            out[name] = {'stdout': p.stdout, 'stderr': p.stderr, 'exitCode': p.returncode}
    print(json.dumps(out))
  `;
  const output = execFileSync('python3', ['-c', driver], { input: JSON.stringify(snippets), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(output) as Record<string, RunResult>;
}

const GC: Record<string, string> = {
  gc_cycle_with_del: py`
    import gc
    gc.disable()
    print(gc.isenabled())
    class Node:
        def __init__(self, name):
            self.name = name
        def __del__(self):
            print('del', self.name)
    a = Node('a')
    b = Node('b')
    a.other = b
    b.other = a
    del a, b
    print('before collect')
    print('collected', gc.collect())
    print('again', gc.collect())
    gc.enable()
    print(gc.isenabled())
  `,
  gc_list_cycle_count: py`
    import gc
    gc.disable()
    l = []
    l.append(l)
    del l
    print(gc.collect())
    d = {}
    d['self'] = d
    del d
    print(gc.collect())
  `,
  gc_thresholds_and_flags: py`
    import gc
    print(gc.get_threshold())
    gc.set_threshold(500)
    print(gc.get_threshold())
    gc.set_threshold(700, 10, 10)
    print(gc.get_threshold())
    print(type(gc.get_count()).__name__, len(gc.get_count()))
    print(gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
    gc.set_debug(gc.DEBUG_SAVEALL)
    print(gc.get_debug())
    gc.set_debug(0)
    stats = gc.get_stats()
    print(len(stats), sorted(stats[0]))
  `,
  gc_errors: py`
    import gc
    for call in (lambda: gc.collect(3), lambda: gc.collect(-1), lambda: gc.collect('x'),
                 lambda: gc.get_objects(3), lambda: gc.set_threshold(),
                 lambda: gc.set_threshold(1, 2, 3, 4), lambda: gc.set_threshold('a')):
        try:
            call()
        except (ValueError, TypeError) as e:
            print(type(e).__name__, e)
  `,
  gc_is_tracked: py`
    import gc
    print(gc.is_tracked(1), gc.is_tracked('s'), gc.is_tracked((1, 2)))
    print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked({'a': 1}), gc.is_tracked({'a': []}))
    class C: pass
    print(gc.is_tracked(C()))
  `,
  gc_callbacks: py`
    import gc
    gc.disable()
    events = []
    def cb(phase, info):
        events.append((phase, info['generation'], sorted(info)))
    gc.callbacks.append(cb)
    gc.collect()
    gc.collect(1)
    gc.callbacks.remove(cb)
    gc.collect()
    print(events)
    print(len(gc.callbacks))
  `,
  gc_garbage_saveall: py`
    import gc
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    l = []
    l.append(l)
    del l
    print(gc.collect())
    print(len(gc.garbage), type(gc.garbage[0]).__name__, gc.garbage[0][0] is gc.garbage[0])
    gc.set_debug(0)
    gc.garbage.clear()
    print(gc.garbage)
  `,
  gc_referrers_referents: py`
    import gc
    x = []
    y = [x]
    d = {'k': x}
    print(sum(1 for r in gc.get_referrers(x) if r is y or r is d))
    print(gc.get_referents(y)[0] is x, len(gc.get_referents(y)))
    print(gc.get_referents(1, 'abc'))
  `,
  gc_get_objects: py`
    import gc
    class Marker:
        pass
    m = Marker()
    objs = gc.get_objects()
    print(any(o is m for o in objs), any(o is objs for o in objs))
    print(any(o is m for o in gc.get_objects(generation=0)) or any(o is m for o in gc.get_objects(1)) or any(o is m for o in gc.get_objects(2)))
  `,
  gc_automatic_collection: py`
    import gc
    gc.enable()
    phases = []
    dels = []
    gc.callbacks.append(lambda phase, info: phases.append(phase))
    class Node:
        def __del__(self):
            dels.append(1)
    for i in range(3000):
        a = Node()
        b = Node()
        a.other = b
        b.other = a
    del a, b
    print(len(phases) > 0, phases[:2], len(dels) > 0)
    gc.callbacks.clear()
  `,
  gc_callback_raises: py`
    import gc
    gc.disable()
    def bad(phase, info):
        raise RuntimeError('callback failed')
    seen = []
    gc.callbacks.append(bad)
    gc.callbacks.append(lambda phase, info: seen.append(phase))
    print(gc.collect() >= 0, seen)
    gc.callbacks.clear()
  `,
  gc_debug_leak_garbage: py`
    import gc
    gc.disable()
    gc.set_debug(gc.DEBUG_LEAK)
    print(gc.get_debug())
    x = []
    x.append(x)
    del x
    print(gc.collect())
    print(len(gc.garbage))
    gc.set_debug(0)
    del gc.garbage[:]
    print(gc.garbage, gc.collect())
  `,
  gc_collect_inside_del_and_counts: py`
    import gc
    gc.disable()
    class A:
        def __del__(self):
            print('A.__del__', gc.collect())
    a = A()
    a.me = a
    del a
    print(gc.collect())
    print(gc.get_stats()[2]['collections'] >= 2)
    before = gc.get_count()
    print(type(before[0]).__name__)
    x = [[] for _ in range(10)]
    print(gc.get_count()[0] >= before[0])
  `,
  gc_freeze: py`
    import gc
    gc.freeze()
    print(gc.get_freeze_count() > 0)
    gc.unfreeze()
    print(gc.get_freeze_count())
  `,
  gc_is_finalized: py`
    import gc
    gc.disable()
    class Lazarus:
        def __del__(self):
            global saved
            saved = self
    x = Lazarus()
    x.me = x
    print(gc.is_finalized(x))
    del x
    gc.collect()
    print(gc.is_finalized(saved))
  `,
};

const WEAKREF: Record<string, string> = {
  weakref_ref_basic: py`
    import weakref
    class Node:
        pass
    n = Node()
    r = weakref.ref(n)
    print(r() is n, weakref.ref(n) is r)
    print(r)
    print(weakref.getweakrefcount(n), weakref.getweakrefs(n)[0] is r)
    del n
    print(r(), r)
    print(type(r).__name__, weakref.ref is weakref.ReferenceType)
  `,
  weakref_callbacks_order: py`
    import weakref
    class Node:
        pass
    n = Node()
    r1 = weakref.ref(n, lambda w: print('cb1', w is r1, w() is None))
    r2 = weakref.ref(n, lambda w: print('cb2', w is r2))
    r0 = weakref.ref(n)
    print(weakref.getweakrefcount(n), weakref.getweakrefs(n)[0] is r0)
    print('deleting')
    del n
    print('deleted')
  `,
  weakref_callback_raises: py`
    import weakref
    class Node:
        pass
    def bad(w):
        raise ValueError('boom')
    n = Node()
    r = weakref.ref(n, bad)
    r2 = weakref.ref(n, lambda w: print('still called'))
    del n
    print('after')
  `,
  weakref_callback_dropped_ref: py`
    import weakref
    class Node:
        pass
    n = Node()
    r = weakref.ref(n, lambda w: print('never'))
    del r
    del n
    print('quiet')
  `,
  weakref_typeerrors: py`
    import weakref
    class S:
        __slots__ = ('a',)
    for value in (1, 'str', [], {}, (), S()):
        try:
            weakref.ref(value)
        except TypeError as e:
            print(e)
  `,
  weakref_equality: py`
    import weakref
    class Node:
        pass
    a = Node()
    b = Node()
    ra = weakref.ref(a)
    ra2 = weakref.ref(a, lambda w: None)
    rb = weakref.ref(b)
    print(ra == ra2, ra != ra2, ra == rb, ra is ra2)
    h = hash(ra2)
    del a
    print(ra == ra2, ra == ra)
    print(hash(ra2) == h)
    try:
        hash(ra)
    except TypeError as e:
        print(e)
  `,
  weakref_value_dict_cache: py`
    import weakref
    class Expensive:
        def __init__(self, key):
            self.key = key
    cache = weakref.WeakValueDictionary()
    def get(key):
        obj = cache.get(key)
        if obj is None:
            print('miss', key)
            obj = Expensive(key)
            cache[key] = obj
        else:
            print('hit', key)
        return obj
    a = get('k1')
    b = get('k1')
    c = get('k2')
    print(a is b, len(cache), sorted(cache.keys()), 'k1' in cache)
    del a, b
    print(len(cache), 'k1' in cache, list(cache))
    print(cache['k2'] is c)
    del c
    try:
        cache['k2']
    except KeyError as e:
        print('KeyError', e)
  `,
  weakref_key_dict: py`
    import weakref
    class K:
        pass
    k1 = K()
    k2 = K()
    d = weakref.WeakKeyDictionary()
    d[k1] = 'one'
    d[k2] = 'two'
    print(len(d), d[k1], d.get(k2), k1 in d)
    del k1
    print(len(d), list(d.values()))
    print(d.pop(k2), len(d))
  `,
  weakref_weakset_pool: py`
    import weakref
    class Resource:
        def __init__(self, name):
            self.name = name
    class Lease:
        def __init__(self, resource):
            self.resource = resource
        def __enter__(self):
            return self.resource
        def __exit__(self, *exc):
            print('releasing', self.resource.name)
            return False
    class Pool:
        def __init__(self):
            self.active = weakref.WeakSet()
        def acquire(self, name):
            r = Resource(name)
            self.active.add(r)
            return Lease(r)
    pool = Pool()
    with pool.acquire('db') as r:
        print('active', len(pool.active), r in pool.active)
        with pool.acquire('cache') as r2:
            print('active', len(pool.active))
        del r2
    print('after inner', len(pool.active))
    del r
    print('at end', len(pool.active))
  `,
  weakref_weakset_ops: py`
    import weakref
    class I:
        pass
    a, b = I(), I()
    s = weakref.WeakSet([a, b])
    s.add(a)
    print(len(s))
    s.discard(b)
    print(len(s), b in s)
    try:
        s.remove(b)
    except KeyError:
        print('KeyError')
    del a
    print(len(s), list(s))
  `,
  weakref_proxy: py`
    import weakref
    class O:
        def __init__(self):
            self.v = 5
        def __len__(self):
            return 3
        def hello(self, who):
            return 'hello ' + who
    o = O()
    p = weakref.proxy(o)
    print(p.v, len(p), p.hello('you'))
    print(type(p).__name__)
    print(p)
    del o
    try:
        p.v
    except ReferenceError as e:
        print('ReferenceError', e)
  `,
  weakref_finalize: py`
    import weakref
    class Node:
        pass
    n = Node()
    f = weakref.finalize(n, print, 'finalized', 'n')
    print(f.alive, f.atexit)
    obj, func, args, kwargs = f.peek()
    print(obj is n, func is print, args, kwargs)
    del obj
    del n
    print(f.alive, f.peek(), f())
    m = Node()
    g = weakref.finalize(m, print, 'never')
    print(g.detach()[2])
    del m
    print(g.alive)
    k = Node()
    h = weakref.finalize(k, lambda: 'result')
    print(h(), h(), h.alive)
  `,
  weakref_callback_in_collection: py`
    import weakref, gc
    gc.disable()
    class N:
        pass
    a = N(); b = N()
    a.b = b; b.a = a
    r = weakref.ref(a, lambda w: print('callback', w() is None))
    del a, b
    print('collect', gc.collect())
    print(r())
  `,
  weakref_containers_more: py`
    import weakref
    class N:
        def __init__(self, n): self.n = n
        def __repr__(self): return 'N(%d)' % self.n
    d = weakref.WeakValueDictionary({'a': N(1)})
    print(len(d))
    x = N(2)
    d2 = weakref.WeakValueDictionary(k=x)
    print(list(d2.items()), d2.setdefault('k', None), d2.setdefault('j', x))
    print(sorted(d2.keys()), d2.popitem()[0] in ('k', 'j'))
    print(repr(d2).startswith('<WeakValueDictionary at 0x'))
    try:
        d2['zz']
    except KeyError as e:
        print(repr(e))
    ws = weakref.WeakSet()
    print(ws, len(ws))
    ws.add(x)
    print(repr(ws).startswith("{<weakref at"))
  `,
  weakref_callback_attribute_and_finalize_kwargs: py`
    import weakref
    class N: pass
    n = N()
    def cb(w):
        print('cb')
    r = weakref.ref(n, cb)
    print(r.__callback__ is cb)
    f = weakref.finalize(n, print, 'fin', sep='-')
    del n
    print(r.__callback__)
    print(f)
    g = weakref.finalize(N(), print, 'immediately')
    print(g.alive)
  `,
  weakref_callback_bound_method_cycle: py`
    import gc, weakref
    gc.disable()
    class N:
        def cb(self, w):
            print('cb')
    a = N(); b = N()
    a.r = weakref.ref(b, a.cb)
    b.a = a
    del a, b
    print(gc.collect())
  `,
  weakref_container_subclasses: py`
    import weakref
    class N:
        pass
    class Cache(weakref.WeakValueDictionary):
        def __init__(self, limit):
            super().__init__()
            self.limit = limit
    c = Cache(3)
    x = N()
    c['x'] = x
    print(len(c), c.limit, isinstance(c, weakref.WeakValueDictionary))
    class Reg(weakref.WeakSet):
        pass
    r = Reg([x])
    print(len(r))
    class KD(weakref.WeakKeyDictionary):
        pass
    k = KD({x: 1})
    print(len(k), k[x])
    del x
    print(len(c), len(r), len(k))
  `,
  weakref_value_dict_entries_vanish: py`
    import weakref, gc
    class N:
        def __init__(self, n): self.n = n
    d = weakref.WeakValueDictionary()
    objs = [N(i) for i in range(5)]
    for o in objs: d[o.n] = o
    for k in list(d):
        if k % 2: 
            objs[k] = None
    print(sorted(d.keys()))
    for k, v in d.items():
        print(k, v.n)
    print(len(d.valuerefs()))
    print(d.get(1, 'gone'), 1 in d)
    del objs
    print(len(d))
  `,
  weakref_callback_resurrects_nothing: py`
    import weakref, gc
    gc.disable()
    class N:
        pass
    saved = []
    a = N()
    a.self = a
    r = weakref.ref(a, lambda w: saved.append(w))
    del a
    print(gc.collect() > 0, len(saved), saved[0] is r, r())
  `,
  weakref_proxies_shared_and_dead: py`
    import weakref
    class N:
        pass
    a = N()
    p = weakref.proxy(a)
    p2 = weakref.proxy(a)
    print(p is p2, weakref.getweakrefcount(a))
    cb = lambda w: print('proxy cb', type(w).__name__)
    p3 = weakref.proxy(a, cb)
    print(weakref.getweakrefcount(a))
    print(isinstance(p, weakref.ProxyType), weakref.ProxyTypes[0] is weakref.ProxyType)
    del a
    try:
        str(p)
    except ReferenceError as e:
        print(e)
    print(repr(p).startswith('<weakproxy at'))
  `,
  weakref_finalize_atexit_and_repr: py`
    import weakref
    class N:
        pass
    n = N()
    f = weakref.finalize(n, print, 'fin')
    f.atexit = False
    print(f.atexit)
    print(repr(f).startswith('<finalize object at'), "for 'N'" in repr(f))
    f2 = weakref.finalize(n, print, 'second')
    del n
    print(repr(f).endswith('; dead>'))
  `,
  weakref_weakset_algebra: py`
    import weakref
    class N:
        pass
    a, b, c = N(), N(), N()
    s1 = weakref.WeakSet([a, b])
    s2 = weakref.WeakSet([b, c])
    print(len(s1 | s2), len(s1 & s2), len(s1 - s2), len(s1 ^ s2), s1 == weakref.WeakSet([a, b]), s1 != s2)
    print(s1.issubset(s1 | s2), s1 <= s2, s1 < (s1 | s2), (s1 | s2) >= s1, s1.isdisjoint([c]), s1.union([c]) == weakref.WeakSet([a, b, c]))
    s3 = weakref.WeakSet([a, b, c])
    s3 -= s2
    print(len(s3), a in s3)
    s3.intersection_update([b])
    print(len(s3))
    s1 |= s2
    print(len(s1), type(s1 | s2).__name__)
    try:
        hash(s1)
    except TypeError as e:
        print(e)
    del c
    print(len(s1), len(s2))
  `,
  weakref_weakmethod: py`
    import weakref
    class O:
        def m(self):
            return 'm'
    o = O()
    wm = weakref.WeakMethod(o.m)
    print(wm()())
    del o
    print(wm())
  `,
};

const TRACEMALLOC: Record<string, string> = {
  tracemalloc_top_line: py`
    import tracemalloc
    tracemalloc.start()
    data = [str(i) * 10 for i in range(2000)]
    snapshot = tracemalloc.take_snapshot()
    top = snapshot.statistics('lineno')[0]
    frame = top.traceback[0]
    print(frame.filename.split('/')[-1], frame.lineno, len(top.traceback))
    print(top.count >= 2000, top.size > 0)
    print(str(top).split('/')[-1].startswith('case.py:3: size='), ', count=' in str(top), 'average=' in str(top))
    print(str(frame).split('/')[-1], repr(frame).replace(frame.filename, 'F'))
    tracemalloc.stop()
    print(tracemalloc.is_tracing())
  `,
  tracemalloc_compare: py`
    import tracemalloc
    tracemalloc.start()
    first = tracemalloc.take_snapshot()
    keep = [[i] for i in range(1000)]
    second = tracemalloc.take_snapshot()
    diffs = second.compare_to(first, 'lineno')
    top = diffs[0]
    print(top.traceback[0].lineno, top.count_diff >= 1000, top.size_diff > 0)
    print(str(top).split('/')[-1].startswith('case.py:4: size='), '(+' in str(top))
    tracemalloc.stop()
  `,
  tracemalloc_filters: py`
    import tracemalloc
    tracemalloc.start()
    keep = [{} for i in range(300)]
    snapshot = tracemalloc.take_snapshot()
    only = snapshot.filter_traces([tracemalloc.Filter(True, '*case.py', 3)])
    stats = only.statistics('lineno')
    print(len(stats), stats[0].traceback[0].lineno)
    none = snapshot.filter_traces([tracemalloc.Filter(True, 'nothing.py')])
    print(none.statistics('filename'))
    f = tracemalloc.Filter(False, '<unknown>')
    print(f.inclusive, f.filename_pattern, f.lineno, f.all_frames)
    tracemalloc.stop()
  `,
  tracemalloc_memory: py`
    import tracemalloc
    print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
    tracemalloc.start()
    cur, peak = tracemalloc.get_traced_memory()
    print(cur >= 0, peak >= cur)
    blob = [list(range(100)) for _ in range(50)]
    cur2, peak2 = tracemalloc.get_traced_memory()
    print(cur2 > cur, peak2 >= cur2)
    big = 'x' * 100000
    print(tracemalloc.get_object_traceback(big)[0].lineno, tracemalloc.get_object_traceback(1))
    del blob
    tracemalloc.reset_peak()
    cur3, peak3 = tracemalloc.get_traced_memory()
    print(cur3 < cur2, peak3 < peak2)
    tracemalloc.clear_traces()
    print(tracemalloc.get_tracemalloc_memory() > 0)
    tracemalloc.stop()
    print(tracemalloc.get_traced_memory())
  `,
  tracemalloc_seed_top_allocations: py`
    import tracemalloc
    import linecache

    def display_top(snapshot, key_type='lineno', limit=1):
        snapshot = snapshot.filter_traces((
            tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
            tracemalloc.Filter(False, "<unknown>"),
        ))
        top_stats = snapshot.statistics(key_type)
        for index, stat in enumerate(top_stats[:limit], 1):
            frame = stat.traceback[0]
            print(f"#{index}: {frame.filename.split('/')[-1]}:{frame.lineno}")
            line = linecache.getline(frame.filename, frame.lineno).strip()
            if line:
                print(f"    {line}")

    tracemalloc.start()
    data_structures = []
    for i in range(200):
        data_structures.append([x for x in range(300)])
    snapshot = tracemalloc.take_snapshot()
    display_top(snapshot)
    snapshot1 = tracemalloc.take_snapshot()
    more_data = [list(range(3000)) for _ in range(50)]
    snapshot2 = tracemalloc.take_snapshot()
    top = snapshot2.compare_to(snapshot1, 'lineno')[0]
    print(str(top).split('/')[-1].split(':')[:2], top.size_diff > 1024 * 1024, top.count_diff > 100000)
    tracemalloc.stop()
  `,
  tracemalloc_traces: py`
    import tracemalloc
    tracemalloc.start()
    x = 'a' * 100000
    s = tracemalloc.take_snapshot()
    t = [t for t in s.traces if t.size > 1000][0]
    print(str(t).split('/')[-1].split(': ')[0], str(t).endswith(' KiB'))
    r = repr(t).replace(t.traceback[0].filename, 'F')
    print(r[:r.index(' size=')], r[r.index(', traceback='):])
    print(len(s.traces) > 0, t.domain, t.traceback.total_nframe)
    tracemalloc.stop()
  `,
  tracemalloc_errors: py`
    import tracemalloc
    for call in (tracemalloc.take_snapshot, lambda: tracemalloc.start(0), lambda: tracemalloc.start(70000)):
        try:
            call()
        except (RuntimeError, ValueError) as e:
            print(type(e).__name__, e)
    tracemalloc.start(5)
    print(tracemalloc.get_traceback_limit())
    try:
        tracemalloc.take_snapshot().statistics('nope')
    except ValueError as e:
        print(e)
    tracemalloc.stop()
  `,
};

const CTYPES: Record<string, string> = {
  ctypes_refcount: py`
    import ctypes
    my_list = [1, 2, 3]
    my_list_address = id(my_list)
    print(ctypes.c_long.from_address(my_list_address).value)
    another = my_list
    print(ctypes.c_long.from_address(my_list_address).value)
    another = None
    print(ctypes.c_long.from_address(my_list_address).value)
    print(ctypes.sizeof(ctypes.c_long), ctypes.sizeof(ctypes.c_int))
    view = ctypes.c_long.from_address(id(my_list))
    holders = [my_list for _ in range(5)]
    print(view.value)
    print(ctypes.c_long(42).value)
  `,
  ctypes_view_follows_count: py`
    import ctypes
    a = []
    addr = id(a)
    v = ctypes.c_long.from_address(addr)
    print(v.value)
    b = [a, a, a]
    print(v.value, ctypes.c_long.from_address(id(a)).value)
    del b
    print(v.value)
    print(ctypes.c_int.from_address(addr).value)
  `,
  error_messages: py`
    import gc, weakref, tracemalloc, ctypes
    class N: pass
    n = N()
    calls = [
     lambda: gc.get_objects('x'), lambda: gc.collect(1, 2), lambda: gc.is_tracked(), lambda: gc.enable(1),
     lambda: gc.set_debug('x'), lambda: gc.get_referrers(x=1),
     lambda: weakref.ref(), lambda: weakref.ref(n, None, 3), lambda: weakref.getweakrefcount(), lambda: weakref.proxy(),
     lambda: weakref.ref(n)(1), lambda: weakref.finalize(n), lambda: weakref.finalize(),
     lambda: weakref.WeakValueDictionary()[1], lambda: weakref.WeakSet().pop(), lambda: weakref.WeakKeyDictionary()[1],
     lambda: weakref.WeakKeyDictionary().__setitem__(1, 2), lambda: weakref.WeakSet().add(1),
     lambda: weakref.WeakValueDictionary().__setitem__('a', 1),
     lambda: tracemalloc.start('x'), lambda: tracemalloc.stop(1), lambda: tracemalloc.Filter(),
     lambda: ctypes.c_long.from_address('x'), lambda: tracemalloc.get_object_traceback(),
    ]
    for i, c in enumerate(calls):
        try:
            c()
            print(i, 'no error')
        except Exception as e:
            print(i, type(e).__name__, e)
  `,
};

const ALL = { ...GC, ...WEAKREF, ...TRACEMALLOC, ...CTYPES };

describe.skipIf(Python === undefined)('gc, weakref, tracemalloc and ctypes against python3', () => {
  const expected = Python === undefined ? {} : cpython(ALL);
  for (const [name, source] of Object.entries(ALL)) {
    test(name, () => {
      expect(outcome(interpreter().run(source, { filename: 'case.py' }))).toBe(outcome(expected[name]!));
    });
  }
});

describe.skipIf(Python === undefined)('what python3 writes to stderr', () => {
  test('DEBUG_STATS lines in CPython format', () => {
    const result = interpreter().run(py`
      import gc
      gc.set_debug(gc.DEBUG_STATS)
      gc.collect()
      gc.set_debug(0)
    `, { filename: 'case.py' });
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe('gc: collecting generation 2...');
    expect(lines[1]).toMatch(/^gc: objects in each generation: \d+ \d+ \d+$/);
    expect(lines[2]).toBe('gc: objects in permanent generation: 0');
    expect(lines[3]).toMatch(/^gc: done, \d+ unreachable, 0 uncollectable, \d+\.\d{4}s elapsed$/);
  });

  test('DEBUG_COLLECTABLE names each unreachable object as CPython does', () => {
    const result = interpreter().run(py`
      import gc
      gc.disable()
      class Node:
          pass
      a = Node()
      a.me = a
      del a
      gc.set_debug(gc.DEBUG_COLLECTABLE)
      gc.collect()
      gc.set_debug(0)
    `, { filename: 'case.py' });
    expect(result.stderr).toMatch(/^gc: collectable <Node 0x[0-9a-f]+>\n/m);
  });

  test('a raising weakref callback is reported as unraisable, naming the callback', () => {
    const result = interpreter().run(py`
      import weakref
      class Node:
          pass
      def bad(w):
          raise ValueError('boom')
      n = Node()
      r = weakref.ref(n, bad)
      del n
    `, { filename: 'case.py' });
    expect(result.stderr).toMatch(/^Exception ignored in: <function bad at 0x[0-9a-f]+>\n/);
    expect(result.stderr).toMatch(/ValueError: boom\n$/);
  });

  test('ctypes reads no memory of a freed object', () => {
    const result = interpreter().run(py`
      import ctypes
      x = [1]
      address = id(x)
      del x
      ctypes.c_long.from_address(address).value
    `, { filename: 'case.py' });
    expect(result.exitCode).toBe(1);
    expect(lastLine(result.stderr)).toMatch(/^ValueError: 0x[0-9a-f]+: /);
  });
});
