/**
 * The standard-library modules `import` can find: a factory per name, each making the module
 * object (a new reference) on first import.
 */
import type { Ref } from '@refheap/core';
import type { VM } from '../vm.ts';
import { makeSysModule, noteModule } from './sys.ts';
import { makeTimeModule } from './time.ts';
import { makeLinecacheModule } from './linecache.ts';
import { makeContextlibModule } from './contextlib.ts';
import { makeGcModule } from './gc.ts';
import { makeWeakrefModule } from './weakref/index.ts';
import { makeTracemallocModule } from './tracemalloc.ts';
import { makeCtypesModule } from './ctypes.ts';

export function installStdlib(vm: VM): void {
  const factories: Record<string, (vm: VM) => Ref> = {
    sys: makeSysModule,
    time: makeTimeModule,
    linecache: makeLinecacheModule,
    contextlib: makeContextlibModule,
    gc: makeGcModule,
    weakref: makeWeakrefModule,
    tracemalloc: makeTracemallocModule,
    ctypes: makeCtypesModule,
  };
  // Each module made is entered in sys.modules too (the dict a program sees), once sys exists.
  for (const [name, factory] of Object.entries(factories)) {
    vm.moduleFactories.set(name, (vm) => {
      const module = factory(vm);
      noteModule(vm, name, module);
      return module;
    });
  }
}
