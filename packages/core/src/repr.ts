/**
 * CPython's repr, including its guard against recursion: a container already
 * being printed further up prints as `[...]` / `{...}`, which is how the seeds'
 * self-nesting lists show as `[1, [2, [...]]]`.
 */
import type { Heap } from './heap.ts';
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

/** CPython's repr of any object. */
export function reprObject(heap: Heap, ref: Ref): string {
  return new ReprWriter(heap).write(ref);
}

class ReprWriter {
  readonly #heap: Heap;
  /** Containers currently being printed (CPython's `Py_ReprEnter`). */
  readonly #active = new Set<Ref>();

  constructor(heap: Heap) {
    this.#heap = heap;
  }

  write(ref: Ref): string {
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
      case Kind.Tuple: {
        const n = heap.length(ref);
        if (n === 1) return this.#nested(ref, '(...)', () => `(${this.write(heap.item(ref, 0))},)`);
        return this.#nested(ref, '(...)', () => `(${this.#items(ref, n)})`);
      }
      case Kind.List:
        return this.#nested(ref, '[...]', () => `[${this.#items(ref, heap.length(ref))}]`);
      case Kind.Dict:
        return this.#nested(ref, '{...}', () => {
          const parts: string[] = [];
          heap.dictForEach(ref, (key, value) => parts.push(`${this.write(key)}: ${this.write(value)}`));
          return `{${parts.join(', ')}}`;
        });
      case Kind.Set:
        return this.#nested(ref, `${type.name}(...)`, () => {
          const parts: string[] = [];
          heap.setForEach(ref, (key) => parts.push(this.write(key)));
          return parts.length === 0 ? 'set()' : `{${parts.join(', ')}}`;
        });
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

  #nested(ref: Ref, placeholder: string, body: () => string): string {
    if (this.#active.has(ref)) return placeholder;
    this.#active.add(ref);
    try {
      return body();
    } finally {
      this.#active.delete(ref);
    }
  }
}
