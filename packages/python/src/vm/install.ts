/**
 * Everything a fresh VM installs, in dependency order: the methods of each built-in type (a file
 * per type in types/), the builtins module, and the standard-library modules `import` can find
 * (a file per module in stdlib/).
 */
import type { VM } from './vm.ts';
import { installObjectAndType } from './types/object.ts';
import { installInt } from './types/int.ts';
import { installFloat } from './types/float.ts';
import { installStr } from './types/str.ts';
import { installBytes } from './types/bytes.ts';
import { installList } from './types/list.ts';
import { installTuple } from './types/tuple.ts';
import { installDict } from './types/dict.ts';
import { installSet } from './types/set.ts';
import { installRange } from './types/range.ts';
import { installBuiltins } from './builtins.ts';
import { installStdlib } from './stdlib/index.ts';

export function installEverything(vm: VM): void {
  installObjectAndType(vm);
  installInt(vm);
  installFloat(vm);
  installStr(vm);
  installBytes(vm);
  installList(vm);
  installTuple(vm);
  installDict(vm);
  installSet(vm);
  installRange(vm);
  installBuiltins(vm);
  installStdlib(vm);
}
