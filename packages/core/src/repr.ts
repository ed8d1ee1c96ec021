/**
 * CPython's repr, including its guard against recursion: a container already
 * being printed further up prints as `[...]` / `{...}`, which is how the seeds'
 * self-nesting lists show as `[1, [2, [...]]]` — and its recursion limit: nesting past
 * REPR_DEPTH_LIMIT raises RecursionError (PyRecursionError) as CPython does.
 */
import { bytesRepr } from './bytes.ts';
import { PyRecursionError, RefheapError } from './errors.ts';
import type { HeapReader } from './heap-reader.ts';
import type { Ref } from './ref.ts';
import { Kind } from './types.ts';

/** `repr(float)`: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * What `str.isprintable()` rejects: control and format characters, surrogates, private use,
 * unassigned code points, and every separator but the plain space.
 */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** `repr(str)`: single quotes unless the text has one and no double quote; non-printables escaped. */
export function strRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (ch === quote) out += `\\${ch}`;
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) out += escapeCodePoint(code);
    else out += ch;
  }
  return out + quote;
}

function escapeCodePoint(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/**
 * How deep repr goes before it raises RecursionError. CPython counts every object it prints
 * (PyObject_Repr's `Py_EnterRecursiveCall`) against the recursion limit, 1000 by default. Run
 * from a module's top level, python3 3.11 prints 998 nested lists, tuples or dicts and raises
 * at the 999th; the module's own frame and the `repr()` call take the rest of the 1000.
 * The leaf counts like any object (997 lists around an int print, 998 raise); a non-empty
 * set costs two levels, because set_repr prints a temporary list of its items (an empty set
 * prints `set()` before making it); a type's repr hook is one level, like a C tp_repr.
 */
export const REPR_DEPTH_LIMIT = 998;

const RECURSION_MESSAGE = 'maximum recursion depth exceeded while getting the repr of an object';

/**
 * Objects being printed now, over every heap: CPython's recursion depth is the thread's, so a
 * repr hook that calls `heap.repr` (of this heap or another) goes on counting from here.
 */
let depth = 0;

/** Each heap's writer while a repr of it is in progress, so a hook's `heap.repr` re-enters it. */
const writers = new WeakMap<HeapReader, ReprWriter>();

/** CPython's repr of any object. */
export function reprObject(heap: HeapReader, ref: Ref): string {
  const current = writers.get(heap);
  if (current !== undefined) return current.write(ref);
  const writer = new ReprWriter(heap);
  writers.set(heap, writer);
  try {
    return writer.write(ref);
  } finally {
    writers.delete(heap);
  }
}

/**
 * Whether an error is the JS engine running out of stack: V8's and JavaScriptCore's RangeError
 * "Maximum call stack size exceeded" (V8 raises a regex that runs out as a SyntaxError
 * "Invalid regular expression: …: Maximum call stack size exceeded"), SpiderMonkey's "too much
 * recursion". No regex here: this runs with the stack nearly gone. The depth limit keeps a
 * repr well inside Node's stack, but a caller may already have used most of it.
 */
function isStackOverflow(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof RefheapError) return false;
  const message = error.message;
  return message.includes('call stack size exceeded') || message.includes('too much recursion');
}

class ReprWriter {
  readonly #heap: HeapReader;
  /** Containers currently being printed (CPython's `Py_ReprEnter`). */
  readonly #active = new Set<Ref>();

  constructor(heap: HeapReader) {
    this.#heap = heap;
  }

  /**
   * One level of CPython's PyObject_Repr: counted against the limit, and a JS stack overflow
   * anywhere below becomes the RecursionError CPython would raise — no RangeError escapes.
   */
  write(ref: Ref): string {
    if (depth >= REPR_DEPTH_LIMIT) throw new PyRecursionError(RECURSION_MESSAGE);
    depth++;
    try {
      return this.#print(ref);
    } catch (error) {
      throw isStackOverflow(error) ? new PyRecursionError(RECURSION_MESSAGE) : error;
    } finally {
      depth--;
    }
  }

  // The containers enter and leave inline rather than through a callback: each level of
  // nesting costs as few JS frames as it can (write → #print → #items → write for a list).
  #print(ref: Ref): string {
    const heap = this.#heap;
    const type = heap.typeOf(ref);
    switch (type.kind) {
      case Kind.None:
        return 'None';
      case Kind.Bool:
        return ref === heap.True ? 'True' : 'False';
      case Kind.Int:
        return String(heap.valueOf(ref));
      case Kind.Float:
        return floatRepr(heap.valueOf(ref) as number);
      case Kind.Str:
        return strRepr(heap.valueOf(ref) as string);
      case Kind.Bytes:
        return bytesRepr('bytes', heap.bytesView(ref));
      case Kind.ByteArray:
        return bytesRepr('bytearray', heap.bytesView(ref));
      case Kind.Tuple: {
        if (!this.#enter(ref)) return '(...)';
        try {
          const n = heap.length(ref);
          return n === 1 ? `(${this.write(heap.item(ref, 0))},)` : `(${this.#items(ref, n)})`;
        } finally {
          this.#active.delete(ref);
        }
      }
      case Kind.List:
        if (!this.#enter(ref)) return '[...]';
        try {
          return `[${this.#items(ref, heap.length(ref))}]`;
        } finally {
          this.#active.delete(ref);
        }
      case Kind.Dict: {
        if (!this.#enter(ref)) return '{...}';
        try {
          const parts: string[] = [];
          heap.dictForEach(ref, (key, value) => parts.push(`${this.write(key)}: ${this.write(value)}`));
          return `{${parts.join(', ')}}`;
        } finally {
          this.#active.delete(ref);
        }
      }
      case Kind.Set: {
        if (!this.#enter(ref)) return `${type.name}(...)`;
        try {
          if (heap.length(ref) === 0) return 'set()';
          // The temporary list CPython prints the items through: one more level.
          if (depth >= REPR_DEPTH_LIMIT) throw new PyRecursionError(RECURSION_MESSAGE);
          depth++;
          try {
            const parts: string[] = [];
            heap.setForEach(ref, (key) => parts.push(this.write(key)));
            return `{${parts.join(', ')}}`;
          } finally {
            depth--;
          }
        } finally {
          this.#active.delete(ref);
        }
      }
      case Kind.Cell: {
        // <cell at 0x…: list object at 0x…>, or <cell at 0x…: empty>
        const at = heap.hexId(ref);
        const contents = heap.cellGet(ref);
        if (contents === 0) return `<cell at ${at}: empty>`;
        return `<cell at ${at}: ${heap.typeOf(contents).name} object at ${heap.hexId(contents)}>`;
      }
      default:
        return type.repr ? type.repr(heap, ref) : heap.describe(ref);
    }
  }

  #items(ref: Ref, n: number): string {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(this.write(this.#heap.item(ref, i)));
    return parts.join(', ');
  }

  /** CPython's `Py_ReprEnter`: false when `ref` is already being printed further up. */
  #enter(ref: Ref): boolean {
    if (this.#active.has(ref)) return false;
    this.#active.add(ref);
    return true;
  }
}
