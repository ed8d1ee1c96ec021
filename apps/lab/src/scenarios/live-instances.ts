/**
 * Counting the live instances of a class without keeping them alive: each
 * instance puts a weak reference to itself in a class-level list. Dropping an
 * instance frees it at once; its weak reference stays in the list, dead, and
 * reads as None until the list is swept.
 */
import type { HeapType, Ref } from '@refheap/core';
import { WeakReference, Weakrefs, getWeakrefCount, ref } from '@refheap/weakref';
import { fact, type Scenario } from '../scenario.ts';
import type { Session } from '../session.ts';

export const liveInstances: Scenario = {
  name: 'live-instances',
  title: 'Tracking live instances through weak references',
  summary: 'two TrackedObjects, one dropped: its weakref reads None, get_live_instances() finds 1',
  source: '“Detecting Memory Leaks” (TrackedObject.instances, weakref.ref, find_objects_of_type)',
  needs: ['gc', 'weakref'],
  drawable: true,
  moral:
    'The registry tells you what exists without deciding what exists. Had the class list held the instances ' +
    'themselves, it would be the leaky class-level cache all over again: nothing could ever die. Holding weak ' +
    'references, the list costs one small object per instance, and a dead one answers None, so whoever reads the ' +
    'list must check for None and, now and then, sweep the dead entries out.',
  steps: () => {
    let Tracked: HeapType;
    const instances = (s: Session): Ref =>
      s.heap.getAttr(Tracked.object, 'instances');
    return [
      {
        python:
          'import weakref\n\nclass TrackedObject:\n    instances = []\n    def __init__(self, name):\n' +
          '        self.name = name\n        TrackedObject.instances.append(weakref.ref(self))\n\n' +
          'obj1 = TrackedObject("first")\nobj2 = TrackedObject("second")\n' +
          'len(TrackedObject.instances)\nweakref.getweakrefcount(obj1)\nsys.getrefcount(obj1)',
        typescript:
          "const Tracked = py.defineClass('TrackedObject');\nheap.setAttr(Tracked.object, 'instances', py.list().ref);\n" +
          "const track = (name: string) => py.scope(() => {\n  const self = py.new(Tracked, { name });\n" +
          "  py.borrow(heap.getAttr(Tracked.object, 'instances')).append(weakref.ref(self));\n  return self;\n});\n" +
          "lab.bind('obj1', track('first'));\nlab.bind('obj2', track('second'));",
        run: (s) => {
          Tracked = s.py.defineClass('TrackedObject');
          s.py.scope(() => s.heap.setAttr(Tracked.object, 'instances', s.py.list().ref));
          const track = (name: string) =>
            s.py.scope(() => {
              const self = s.py.new(Tracked, { name });
              s.py.borrow(instances(s)).append(ref(self));
              return self;
            });
          const obj1 = s.bind('obj1', track('first'));
          s.bind('obj2', track('second'));
          return {
            facts: [
              fact('registered', 'len(TrackedObject.instances)', s.heap.length(instances(s)), { cpython: 2 }),
              fact('weakref.count', 'weakref.getweakrefcount(obj1)', getWeakrefCount(obj1), { cpython: 1 }),
              fact('obj1.getrefcount', 'sys.getrefcount(obj1)', obj1.getrefcount(), { cpython: 2 }),
            ],
          };
        },
        explain: (f) =>
          `Each constructor appended a weak reference to the new object: ${f('registered')} entries. obj1 has ` +
          `${f('weakref.count')} weak reference, yet its count is ${f('obj1.getrefcount')} — the name and ` +
          "getrefcount's argument. The registry is invisible to reference counting.",
      },
      {
        python: 'first = TrackedObject.instances[0]\ndel obj1\nfirst() is None\nlen(TrackedObject.instances)',
        typescript:
          "const first = lab.bind('first', new WeakReference(weakrefs, heap.item(instances, 0)));  // + incref\nlab.drop('obj1');\n" +
          "first.deref() === undefined;",
        run: (s) => {
          const wr = s.heap.item(instances(s), 0);
          s.heap.incref(wr);
          const first = s.bind('first', new WeakReference(Weakrefs.of(s.heap), wr)) as WeakReference;
          s.drop('obj1');
          const target = first.deref();
          target?.release();
          return {
            facts: [
              fact('first.dead', 'first() is None', target === undefined, { cpython: true }),
              fact('alive.after.del', 'TrackedObject objects alive', s.heap.liveCount(Tracked), { cpython: 1 }),
              fact('registered.after.del', 'len(TrackedObject.instances)', s.heap.length(instances(s)), { cpython: 2 }),
            ],
          };
        },
        explain: (f) =>
          `del obj1 released the only strong reference and the first object was freed there and then ` +
          `(${f('alive.after.del')} instance left). Its weak reference was cleared as it died: calling it now ` +
          `gives None. But the list still has ${f('registered.after.del')} entries — a dead weak reference is ` +
          'still an object in the list until somebody removes it.',
      },
      {
        python:
          '@classmethod\ndef get_live_instances(cls):\n    cls.instances = [r for r in cls.instances if r() is not None]\n' +
          '    return [r() for r in cls.instances]\n\nlen(TrackedObject.get_live_instances())\n' +
          'len(TrackedObject.instances)\nTrackedObject.get_live_instances()[0].name',
        typescript:
          'const live = py.list();\nfor (const i of range(heap.length(instances)))\n' +
          '  if (weakrefs.isAlive(heap.item(instances, i))) live.append(heap.item(instances, i));\n' +
          "heap.setAttr(Tracked.object, 'instances', live.ref);",
        run: (s) => {
          const weakrefs = Weakrefs.of(s.heap);
          const names = s.py.scope(() => {
            const live = s.py.list();
            const list = instances(s);
            for (let i = 0; i < s.heap.length(list); i++) {
              const wr = s.heap.item(list, i);
              if (weakrefs.isAlive(wr)) live.append(s.py.borrow(wr));
            }
            s.heap.setAttr(Tracked.object, 'instances', live.ref);
            const out: string[] = [];
            for (let i = 0; i < live.length; i++) {
              const obj = weakrefs.deref(s.heap.item(live.ref, i));
              out.push(String(s.py.borrow(obj).read('name')));
            }
            return out;
          });
          return {
            facts: [
              fact('live', 'len(TrackedObject.get_live_instances())', names.length, { cpython: 1 }),
              fact('registered.after.sweep', 'len(TrackedObject.instances)', s.heap.length(instances(s)), { cpython: 1 }),
              fact('survivor', 'get_live_instances()[0].name', names[0] ?? null, { cpython: 'second' }),
            ],
          };
        },
        explain: (f) =>
          `Sweeping keeps only the weak references that still answer: ${f('live')} live instance, the one named ` +
          `${f('survivor')}, and the list is down to ${f('registered.after.sweep')} entry.`,
      },
      {
        python: 'len([o for o in gc.get_objects()\n     if isinstance(o, TrackedObject)])',
        typescript: 'gc.getObjects().filter((o) => heap.typeOf(o) === Tracked).length;',
        run: (s) => ({
          facts: [
            fact(
              'found',
              'TrackedObjects among gc.get_objects()',
              s.gc.getObjects().filter((o) => s.heap.typeOf(o) === Tracked).length,
              { cpython: 1 },
            ),
          ],
        }),
        explain: (f) =>
          `The collector's own lists agree: ${f('found')} TrackedObject. The weak registry and a full scan give the ` +
          'same answer; the registry is just much cheaper to ask.',
      },
    ];
  },
};
