/**
 * The Python code blocks of the lesson seeds (../shared/seeds, beside the repository), every one,
 * as the seeds have them — some valid Python 3, some Python 2 or with their indentation lost in
 * conversion to text. Each block is kept here verbatim, with where it is, so that the tests run
 * in a fresh clone; `check:seeds` (test-support/check-seeds.ts) checks the blocks against the seeds wherever they sit beside the repository.
 *
 * A block's source is its text dedented (it may sit indented in a slide) and, for an IPython
 * session, the code typed at its prompts: `In [n]:` and `...:` taken off, `Out[n]:` lines and the
 * program's output dropped, comments and blank lines kept.
 */

export interface SeedBlock {
  /** The seed file. */
  readonly seed: string;
  /** Where the block starts in it, from line 1. */
  readonly line: number;
  /** Whether the block is an IPython session. */
  readonly ipython: boolean;
  /** The block's lines, as in the seed. */
  readonly text: string;
}

const BLOCKS: readonly SeedBlock[] = [
  { seed: "000_d8a7cf6c99620640.txt", line: 28, ipython: false, text: "    x = an_object\n" },
  { seed: "000_d8a7cf6c99620640.txt", line: 38, ipython: false, text: "import sys\n" },
  { seed: "000_d8a7cf6c99620640.txt", line: 42, ipython: true, text: "In [5]: a = []\n\nIn [6]: sys.getrefcount(a)\nOut[6]: 2\n" },
  { seed: "000_d8a7cf6c99620640.txt", line: 53, ipython: true, text: "In [7]: a = []\n\nIn [8]: sys.getrefcount(a)\nOut[8]: 2\n\nIn [9]: b = a\n\nIn [10]: sys.getrefcount(a)\nOut[10]: 3\n\nIn [11]: l = [1,2,3,a]\n\nIn [12]: sys.getrefcount(a)\nOut[12]: 4\nIn [13]: del b\n\nIn [14]: sys.getrefcount(a)\nOut[14]: 3\n\nIn [15]: del l\n\nIn [16]: sys.getrefcount(a)\nOut[16]: 2\n" },
  { seed: "000_d8a7cf6c99620640.txt", line: 76, ipython: true, text: "# function local variables\n\n    In [17]: def test(x):\n       ....:     print \"x has a refcount of:\", sys.getrefcount(x)\n\n    In [18]: sys.getrefcount(a)\n    Out[18]: 2\n\n    In [19]: test(a)\n    x has a refcount of: 4\n\n    In [20]: sys.getrefcount(a)\n    Out[20]: 2\n" },
  { seed: "000_d8a7cf6c99620640.txt", line: 89, ipython: true, text: "In [21]: x = 3\n\nIn [22]: sys.getrefcount(x)\nOut[22]: 428\n" },
  { seed: "000_d8a7cf6c99620640.txt", line: 121, ipython: true, text: "In [8]: l1 = [1,] ; l2 = [2,]\n\nIn [9]: l1.append(l2); l2.append(l1)\n\nIn [10]: l1\nOut[10]: [1, [2, [...]]]\n\nIn [11]: l2\nOut[11]: [2, [1, [...]]]\n\nIn [12]: l1[1]\nOut[12]: [2, [1, [...]]]\n\nIn [13]: l2[1][1][1]\nOut[13]: [1, [2, [...]]]\n" },
  { seed: "000_d8a7cf6c99620640.txt", line: 147, ipython: true, text: "In [1]: import gc\nIn [2]: gc.isenabled()\nOut[2]: True\n" },
  { seed: "000_d8a7cf6c99620640.txt", line: 153, ipython: true, text: "In [4]: gc.collect()\nOut[4]: 64\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 21, ipython: false, text: "x = an_object\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 23, ipython: false, text: "l.append(an_object)\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 25, ipython: false, text: "func(an_object)\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 28, ipython: false, text: "import sys\nsys.getrefcount(object)\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 31, ipython: true, text: "In [5]: a = []\nIn [6]: sys.getrefcount(a)\nOut[6]: 2\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 38, ipython: true, text: "In [7]: a = []\nIn [8]: sys.getrefcount(a)\nOut[8]: 2\nIn [9]: b = a\nIn [10]: sys.getrefcount(a)\nOut[10]: 3\nIn [11]: l = [1,2,3,a]\nIn [12]: sys.getrefcount(a)\nOut[12]: 4\nIn [13]: del b\nIn [14]: sys.getrefcount(a)\nOut[14]: 3\nIn [15]: del l\nIn [16]: sys.getrefcount(a)\nOut[16]: 2\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 53, ipython: true, text: "# function local variables\nIn [17]: def test(x):\n....: print \"x has a refcount of:\", sys.getrefcount(x)\n....:\nIn [18]: sys.getrefcount(a)\nOut[18]: 2\nIn [19]: test(a)\nx has a refcount of: 4\nIn [20]: sys.getrefcount(a)\nOut[20]: 2\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 63, ipython: true, text: "In [21]: x = 3\nIn [22]: sys.getrefcount(x)\nOut[22]: 428\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 80, ipython: true, text: "In [8]: l1 = [1,] ; l2 = [2,]\nIn [9]: l1.append(l2); l2.append(l1)\nIn [10]: l1\nOut[10]: [1, [2, [...]]]\nIn [11]: l2\nOut[11]: [2, [1, [...]]]\nIn [12]: l1[1]\nOut[12]: [2, [1, [...]]]\nIn [13]: l2[1][1][1]\nOut[13]: [1, [2, [...]]]\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 95, ipython: true, text: "In [1]: import gc\nIn [2]: gc.isenabled()\nOut[2]: True\n" },
  { seed: "001_cfd4ef5bd0b04a12.txt", line: 99, ipython: true, text: "In [4]: gc.collect()\nOut[4]: 64\n" },
  { seed: "002_b1052cfcc13e9412.txt", line: 20, ipython: false, text: "import sys\n\nmy_list = [1, 2, 3]\nprint(sys.getrefcount(my_list)) # Typically prints 2\n" },
  { seed: "002_b1052cfcc13e9412.txt", line: 29, ipython: false, text: "import ctypes\n\ndef get_ref_count(address):\nreturn ctypes.c_long.from_address(address).value\n\nmy_list = [1, 2, 3]\nprint(get_ref_count(id(my_list))) # Typically prints 1\n" },
  { seed: "002_b1052cfcc13e9412.txt", line: 43, ipython: false, text: "import sys\nimport ctypes\nimport gc\n\n# Disable garbage collection for demonstration purposes\ngc.disable()\n\ndef get_ref_count(address):\n\"\"\"\nGet the reference count of an object at a given memory address.\n\nArgs:\naddress (int): Memory address of the object.\n\nReturns:\nint: Reference count of the object.\n\"\"\"\n\nreturn ctypes.c_long.from_address(address).value\n" },
  { seed: "002_b1052cfcc13e9412.txt", line: 71, ipython: false, text: "class A:\n\"\"\"\nClass A with a circular reference to an instance of class B.\n\"\"\"\ndef __init__(self):\n\nself.b = B(self)\nprint(f\"A: {hex(id(self))}, b:{hex(id(self.b))}\")\n\nclass B:\n\"\"\"\nClass B with a circular reference to an instance of class A.\n\"\"\"\ndef __init__(self, obj):\nself.a = obj\nprint(f\"B: {hex(id(self))}, A:{hex(id(self.a))}\")\n" },
  { seed: "002_b1052cfcc13e9412.txt", line: 112, ipython: false, text: "id_a = id(my_var)\nid_b = id(my_var.b)\n\nprint(get_ref_count(id_a)) # Expected: 2\nprint(get_ref_count(id_b)) # Expected: 2\n" },
  { seed: "002_b1052cfcc13e9412.txt", line: 131, ipython: false, text: "my_var = None\nprint(get_ref_count(id_a)) # Expected: 1\nprint(get_ref_count(id_b)) # Expected: 1\n" },
  { seed: "002_b1052cfcc13e9412.txt", line: 162, ipython: false, text: "def get_object_status_by_id(obj_id):\n\"\"\"\nCheck if an object with the given id still exists in memory.\n\nArgs:\nobj_id (int): The id of the object to check.\n\nReturns:\nstr: 'Object exists' if the object is found, 'Object does not exist' otherwise.\n\"\"\"\nif obj_id in [id(obj) for obj in gc.get_objects()]:\nreturn 'Object exists'\nreturn 'Object does not exist'\n\nprint(get_object_status_by_id(id_a)) # Expected: Object exists\nprint(get_object_status_by_id(id_b)) # Expected: Object exists\n" },
  { seed: "002_b1052cfcc13e9412.txt", line: 194, ipython: false, text: "gc.collect()\n\nprint(get_object_status_by_id(id_a)) # Expected: Object does not exist\nprint(get_object_status_by_id(id_b)) # Expected: Object does not exist\n" },
  { seed: "003_676318e7ba63733c.txt", line: 13, ipython: false, text: "import sys\n\n# Create an object and check its reference count\nx = [1, 2, 3]\nprint(sys.getrefcount(x))  # Returns 2 (x + temporary reference in getrefcount)\n\n# Add another reference\ny = x\nprint(sys.getrefcount(x))  # Returns 3\n\n# Remove a reference\ndel y\nprint(sys.getrefcount(x))  # Returns 2\n" },
  { seed: "003_676318e7ba63733c.txt", line: 29, ipython: false, text: "class Resource:\n    def __init__(self, name):\n        self.name = name\n        print(f\"Resource {self.name} created\")\n    \n    def __del__(self):\n        print(f\"Resource {self.name} destroyed\")\n\ndef create_resource():\n    r = Resource(\"temp\")\n    # r is destroyed immediately when function exits\n    \ncreate_resource()\nprint(\"Function completed\")\n\n# Output:\n# Resource temp created\n# Resource temp destroyed\n# Function completed\n" },
  { seed: "003_676318e7ba63733c.txt", line: 53, ipython: false, text: "import gc\n\nclass Node:\n    def __init__(self, value):\n        self.value = value\n        self.next = None\n    \n    def __del__(self):\n        print(f\"Node {self.value} deleted\")\n\n# Disable automatic garbage collection to demonstrate the issue\ngc.disable()\n\n# Create a circular reference\nnode1 = Node(1)\nnode2 = Node(2)\nnode1.next = node2\nnode2.next = node1\n\n# Delete references\ndel node1\ndel node2\n\nprint(\"References deleted, but objects still in memory\")\nprint(f\"Garbage objects: {len(gc.garbage)}\")\n\n# Manually trigger collection\ncollected = gc.collect()\nprint(f\"Collected {collected} objects\")\n\ngc.enable()\n" },
  { seed: "003_676318e7ba63733c.txt", line: 91, ipython: false, text: "import gc\n\n# Get current collection thresholds\nprint(gc.get_threshold())  # Default: (700, 10, 10)\n\n# Adjust thresholds (generation0, generation1, generation2)\ngc.set_threshold(1000, 15, 15)\n\n# Disable/enable automatic collection\ngc.disable()\n# ... perform memory-intensive operations\ngc.enable()\n\n# Manually trigger collection\ncollected = gc.collect()\nprint(f\"Collected {collected} objects\")\n\n# Get collection statistics\nstats = gc.get_stats()\nfor i, stat in enumerate(stats):\n    print(f\"Generation {i}: {stat}\")\n" },
  { seed: "003_676318e7ba63733c.txt", line: 115, ipython: false, text: "import gc\nimport time\n\ndef process_large_dataset(data):\n    gc_enabled = gc.isenabled()\n    gc.disable()\n    \n    try:\n        # Process data without GC interruptions\n        result = [item * 2 for item in data]\n        return result\n    finally:\n        if gc_enabled:\n            gc.enable()\n            gc.collect()  # Clean up after processing\n\n# Benchmark\ndata = list(range(1000000))\n\nstart = time.time()\nresult1 = process_large_dataset(data)\nprint(f\"With GC control: {time.time() - start:.4f}s\")\n" },
  { seed: "003_676318e7ba63733c.txt", line: 142, ipython: false, text: "import gc\nimport weakref\n\n# Track all instances of a class\nclass TrackedObject:\n    instances = []\n    \n    def __init__(self, name):\n        self.name = name\n        # Use weak reference to avoid preventing garbage collection\n        TrackedObject.instances.append(weakref.ref(self))\n    \n    @classmethod\n    def get_live_instances(cls):\n        # Clean up dead references\n        cls.instances = [ref for ref in cls.instances if ref() is not None]\n        return [ref() for ref in cls.instances]\n\n# Create and destroy objects\nobj1 = TrackedObject(\"first\")\nobj2 = TrackedObject(\"second\")\ndel obj1\n\nprint(f\"Live instances: {len(TrackedObject.get_live_instances())}\")\n\n# Find all objects of a specific type\ndef find_objects_of_type(obj_type):\n    return [obj for obj in gc.get_objects() if isinstance(obj, obj_type)]\n\n# Warning: This is expensive for large applications\ntracked_objects = find_objects_of_type(TrackedObject)\nprint(f\"Found {len(tracked_objects)} TrackedObject instances\")\n" },
  { seed: "003_676318e7ba63733c.txt", line: 177, ipython: false, text: "import gc\n\nclass LeakyContainer:\n    cache = []\n    \n    def __init__(self, data):\n        self.data = data\n        LeakyContainer.cache.append(self)  # Leak: never removed\n\nobj = LeakyContainer(\"test data\")\ndel obj\n\n# Object still exists due to class-level cache\nremaining = [o for o in gc.get_objects() if isinstance(o, LeakyContainer)]\nif remaining:\n    obj = remaining[0]\n    referrers = gc.get_referrers(obj)\n    print(f\"Object kept alive by: {referrers}\")\n" },
  { seed: "003_676318e7ba63733c.txt", line: 200, ipython: false, text: "import tracemalloc\nimport linecache\n\ndef display_top_memory_allocations(snapshot, key_type='lineno', limit=10):\n    snapshot = snapshot.filter_traces((\n        tracemalloc.Filter(False, \"<frozen importlib._bootstrap>\"),\n        tracemalloc.Filter(False, \"<unknown>\"),\n    ))\n    top_stats = snapshot.statistics(key_type)\n    \n    print(f\"Top {limit} memory allocations:\")\n    for index, stat in enumerate(top_stats[:limit], 1):\n        frame = stat.traceback[0]\n        print(f\"#{index}: {frame.filename}:{frame.lineno}: {stat.size / 1024:.1f} KiB\")\n        line = linecache.getline(frame.filename, frame.lineno).strip()\n        if line:\n            print(f\"    {line}\")\n\n# Start tracking\ntracemalloc.start()\n\n# Simulate memory allocations\ndata_structures = []\nfor i in range(1000):\n    data_structures.append([x for x in range(1000)])\n\n# Take a snapshot\nsnapshot = tracemalloc.take_snapshot()\ndisplay_top_memory_allocations(snapshot)\n\n# Compare snapshots to find memory growth\nsnapshot1 = tracemalloc.take_snapshot()\n# ... more operations\nmore_data = [list(range(10000)) for _ in range(100)]\nsnapshot2 = tracemalloc.take_snapshot()\n\ntop_stats = snapshot2.compare_to(snapshot1, 'lineno')\nprint(\"\\nMemory allocation differences:\")\nfor stat in top_stats[:5]:\n    print(f\"{stat.size_diff / 1024:.1f} KiB: {stat}\")\n\ntracemalloc.stop()\n" },
  { seed: "003_676318e7ba63733c.txt", line: 247, ipython: false, text: "import weakref\nfrom contextlib import contextmanager\n\nclass ResourcePool:\n    def __init__(self):\n        self._resources = weakref.WeakSet()\n    \n    def acquire(self):\n        resource = Resource()\n        self._resources.add(resource)\n        return resource\n    \n    def active_count(self):\n        return len(self._resources)\n\nclass Resource:\n    def __init__(self):\n        self.data = bytearray(1024 * 1024)  # 1MB\n    \n    def close(self):\n        self.data = None\n\n@contextmanager\ndef managed_resource(pool):\n    resource = pool.acquire()\n    try:\n        yield resource\n    finally:\n        resource.close()\n\n# Usage\npool = ResourcePool()\n\nwith managed_resource(pool) as res:\n    # Use resource\n    pass\n\nprint(f\"Active resources: {pool.active_count()}\")  # Should be 0\n" },
  { seed: "003_676318e7ba63733c.txt", line: 290, ipython: false, text: "import weakref\nimport sys\n\nclass ExpensiveObject:\n    def __init__(self, data):\n        self.data = data\n        self.computed = self._expensive_computation()\n    \n    def _expensive_computation(self):\n        return sum(self.data)\n\nclass SmartCache:\n    def __init__(self):\n        self._cache = weakref.WeakValueDictionary()\n    \n    def get_or_create(self, key, data):\n        if key in self._cache:\n            print(f\"Cache hit for {key}\")\n            return self._cache[key]\n        \n        print(f\"Cache miss for {key}\")\n        obj = ExpensiveObject(data)\n        self._cache[key] = obj\n        return obj\n\n# Demonstrate weak reference caching\ncache = SmartCache()\n\nobj1 = cache.get_or_create(\"key1\", [1, 2, 3, 4, 5])\nobj2 = cache.get_or_create(\"key1\", [1, 2, 3, 4, 5])  # Cache hit\n\nassert obj1 is obj2\n\ndel obj1, obj2\n# Objects can now be garbage collected\n\nobj3 = cache.get_or_create(\"key1\", [1, 2, 3, 4, 5])  # Cache miss\n" },
];

export interface SeedCase extends SeedBlock {
  readonly name: string;
  readonly source: string;
}

export const SEED_BLOCKS: readonly SeedCase[] = BLOCKS.map((block) => ({
  ...block,
  name: `seed ${block.seed.slice(0, 3)} line ${block.line}${block.ipython ? ' (IPython session)' : ''}`,
  source: blockSource(block),
}));

function blockSource({ text, ipython }: SeedBlock): string {
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
  const indent = Math.min(...indents);
  const dedented = lines.map((line) => line.slice(indent));
  if (!ipython) return dedented.join('\n');
  const code: string[] = [];
  for (const line of dedented) {
    const prompt = /^\s*(?:In \[\d+\]|\.{3,}):(?: |$)(.*)$/.exec(line);
    if (prompt) code.push(prompt[1]!);
    else if (line.trim() === '' || line.trimStart().startsWith('#')) code.push(line.trim());
    // anything else is an Out[n] line or what the program printed
  }
  return `${code.join('\n').trimEnd()}\n`;
}
