/** The seeds' thirteen example programs, as @refheap/python ships them, for the example menu. */
import seed01 from '@refheap/python/examples/seeds/seed_01_getrefcount_list.py?raw';
import seed02 from '@refheap/python/examples/seeds/seed_02_recursive_repr.py?raw';
import seed03 from '@refheap/python/examples/seeds/seed_03_ctypes_refcount.py?raw';
import seed04 from '@refheap/python/examples/seeds/seed_04_a_b_cycle.py?raw';
import seed05 from '@refheap/python/examples/seeds/seed_05_get_objects_check.py?raw';
import seed06 from '@refheap/python/examples/seeds/seed_06_resource_function_exit.py?raw';
import seed07 from '@refheap/python/examples/seeds/seed_07_node_cycle_del.py?raw';
import seed08 from '@refheap/python/examples/seeds/seed_08_thresholds_stats.py?raw';
import seed09 from '@refheap/python/examples/seeds/seed_09_tracked_object.py?raw';
import seed10 from '@refheap/python/examples/seeds/seed_10_leaky_container.py?raw';
import seed11 from '@refheap/python/examples/seeds/seed_11_resource_pool_weakset.py?raw';
import seed12 from '@refheap/python/examples/seeds/seed_12_smart_cache.py?raw';
import seed13 from '@refheap/python/examples/seeds/seed_13_isenabled_cycle.py?raw';

export interface SeedExample {
  /** The file's name without `.py`: what a link names (`#example=seed_04_a_b_cycle`). */
  readonly name: string;
  readonly title: string;
  readonly source: string;
}

export const seeds: readonly SeedExample[] = [
  { name: 'seed_01_getrefcount_list', title: 'sys.getrefcount of a list', source: seed01 },
  { name: 'seed_02_recursive_repr', title: 'Lists inside each other', source: seed02 },
  { name: 'seed_03_ctypes_refcount', title: 'The count read through ctypes', source: seed03 },
  { name: 'seed_04_a_b_cycle', title: 'A ↔ B cycle, collector off', source: seed04 },
  { name: 'seed_05_get_objects_check', title: 'Still in gc.get_objects()', source: seed05 },
  { name: 'seed_06_resource_function_exit', title: '__del__ when a function returns', source: seed06 },
  { name: 'seed_07_node_cycle_del', title: 'A cycle of Nodes with __del__', source: seed07 },
  { name: 'seed_08_thresholds_stats', title: 'Thresholds and gc.get_stats()', source: seed08 },
  { name: 'seed_09_tracked_object', title: 'Live instances through weak references', source: seed09 },
  { name: 'seed_10_leaky_container', title: 'A leaky class-level cache', source: seed10 },
  { name: 'seed_11_resource_pool_weakset', title: 'A resource pool with a WeakSet', source: seed11 },
  { name: 'seed_12_smart_cache', title: 'A weak-value cache', source: seed12 },
  { name: 'seed_13_isenabled_cycle', title: 'gc.isenabled() and a cycle', source: seed13 },
];
