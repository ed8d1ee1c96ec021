/**
 * Counting the live instances of a class without keeping them alive: each instance puts a weak
 * reference to itself in a class-level list. Dropping an instance frees it at once; its weak
 * reference stays in the list, dead, and reads as None until the list is swept.
 */
import { fact, type Scenario } from '../scenario.ts';

const ALIVE = 'len([o for o in gc.get_objects() if isinstance(o, TrackedObject)])';

export const liveInstances: Scenario = {
  name: 'live-instances',
  title: 'Tracking live instances through weak references',
  summary: 'two TrackedObjects, one dropped: its weakref reads None, get_live_instances() finds 1',
  source: '“Detecting Memory Leaks” (TrackedObject.instances, weakref.ref, find_objects_of_type)',
  drawable: true,
  moral:
    'The registry tells you what exists without deciding what exists. Had the class list held the instances ' +
    'themselves, it would be the leaky class-level cache all over again: nothing could ever die. Holding weak ' +
    'references, the list costs one small object per instance, and a dead one answers None, so whoever reads the ' +
    'list must check for None and, now and then, sweep the dead entries out.',
  steps: [
    {
      title: 'a class that registers weak references to its instances',
      code:
        'import gc\nimport sys\nimport weakref\n\nclass TrackedObject:\n    instances = []\n\n' +
        '    def __init__(self, name):\n        self.name = name\n        TrackedObject.instances.append(weakref.ref(self))\n\n' +
        '    @classmethod\n    def get_live_instances(cls):\n' +
        '        cls.instances = [r for r in cls.instances if r() is not None]\n        return [r() for r in cls.instances]\n\n' +
        'obj1 = TrackedObject("first")\nobj2 = TrackedObject("second")',
      facts: [
        fact('registered', 'len(TrackedObject.instances)', { cpython: true }),
        fact('weakref.count', 'weakref.getweakrefcount(obj1)', { cpython: true }),
        fact('obj1.getrefcount', 'sys.getrefcount(obj1)', { cpython: true }),
      ],
      explain: (f) =>
        `Each constructor appended a weak reference to the new object: ${f('registered')} entries. obj1 has ` +
        `${f('weakref.count')} weak reference, yet its count is ${f('obj1.getrefcount')} — the name and ` +
        "getrefcount's argument. The registry is invisible to reference counting.",
    },
    {
      title: 'one dropped: its weak reference goes dead',
      code: 'first = TrackedObject.instances[0]\ndel obj1',
      facts: [
        fact('first.dead', 'first() is None', { cpython: true }),
        fact('alive.after.del', ALIVE, { label: 'TrackedObject objects alive', cpython: true }),
        fact('registered.after.del', 'len(TrackedObject.instances)', { cpython: true }),
      ],
      explain: (f) =>
        `del obj1 released the only strong reference and the first object was freed there and then ` +
        `(${f('alive.after.del')} instance left). Its weak reference was cleared as it died: calling it now ` +
        `gives None. But the list still has ${f('registered.after.del')} entries — a dead weak reference is ` +
        'still an object in the list until somebody removes it.',
    },
    {
      title: 'the sweep',
      code: 'live = TrackedObject.get_live_instances()',
      facts: [
        fact('live', 'len(live)', { label: 'len(TrackedObject.get_live_instances())', cpython: true }),
        fact('registered.after.sweep', 'len(TrackedObject.instances)', { cpython: true }),
        fact('survivor', 'live[0].name', { cpython: true }),
      ],
      explain: (f) =>
        `Sweeping keeps only the weak references that still answer: ${f('live')} live instance, the one named ` +
        `${f('survivor')}, and the list is down to ${f('registered.after.sweep')} entry.`,
    },
    {
      title: 'the collector agrees',
      code: `found = ${ALIVE}`,
      facts: [fact('found', 'found', { label: 'TrackedObjects among gc.get_objects()', cpython: true })],
      explain: (f) =>
        `The collector's own lists agree: ${f('found')} TrackedObject. The weak registry and a full scan give the ` +
        'same answer; the registry is just much cheaper to ask.',
    },
  ],
};
