/**
 * Everything a fresh VM installs, in dependency order: the methods of each built-in type (a file
 * per type in types/), the builtins module, and the standard-library modules `import` can find
 * (a file per module in stdlib/).
 */
import type { VM } from './vm.ts';
import { installStr } from './types/str.ts';
import { installBytes } from './types/bytes.ts';

export function installEverything(vm: VM): void {
  installStr(vm);
  installBytes(vm);
}
