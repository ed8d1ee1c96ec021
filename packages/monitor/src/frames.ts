/**
 * JavaScript call sites for allocation tracebacks. tracemalloc records the
 * Python frames that allocated a block; ours records the JavaScript frames that
 * called into the heap. The stack is read as text (`Error.captureStackTrace`
 * on V8, `new Error().stack` elsewhere) rather than through V8's structured
 * CallSite API, because only the text goes through source maps (`--enable-source-maps`,
 * vitest, bundlers' dev servers): users want their `.ts` line, not the emitted `.js` one.
 * Identical stacks are parsed once.
 */

/** One parsed stack frame. */
export interface RawFrame {
  readonly filename: string;
  readonly lineno: number;
  readonly column: number;
  readonly functionName: string;
}

const V8_FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?\s*$/;
const V8_BARE = /^\s*at (?:(.*?) \()?(.*?)\)?\s*$/;
const GECKO_FRAME = /^\s*(.*?)@(.*?):(\d+):(\d+)\s*$/;

/** `file:///x/y.js` → `/x/y.js`; other names unchanged. */
export function normalizeFilename(name: string): string {
  if (name.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(name).pathname);
    } catch {
      return name.slice('file://'.length);
    }
  }
  return name;
}

/** Parses one line of `Error.stack` (V8, SpiderMonkey or JavaScriptCore format); undefined for headers and junk. */
export function parseStackLine(line: string): RawFrame | undefined {
  let m = V8_FRAME.exec(line);
  if (m) {
    let fn = m[1] ?? '';
    if (fn.startsWith('async ')) fn = fn.slice(6);
    let file = m[2]!;
    // `at eval (eval at f (file.js:1:2), <anonymous>:1:1)`: keep the outer location.
    const evalAt = /\(([^()]*?):\d+:\d+\)/.exec(file);
    if (file.startsWith('eval at') && evalAt) file = evalAt[1]!;
    return { functionName: fn, filename: normalizeFilename(file), lineno: Number(m[3]), column: Number(m[4]) };
  }
  m = GECKO_FRAME.exec(line);
  if (m) return { functionName: m[1] ?? '', filename: normalizeFilename(m[2]!), lineno: Number(m[3]), column: Number(m[4]) };
  m = V8_BARE.exec(line);
  if (m && line.trimStart().startsWith('at ')) {
    // `at native`, `at <anonymous>`: a frame with no position.
    return { functionName: m[1] ?? '', filename: m[2] || '<unknown>', lineno: 0, column: 0 };
  }
  return undefined;
}

/** Parses a whole `Error.stack` text, skipping its `Error: message` header. */
export function parseStack(stack: string): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const line of stack.split('\n')) {
    const frame = parseStackLine(line);
    if (frame) frames.push(frame);
  }
  return frames;
}

interface V8ErrorConstructor {
  captureStackTrace?(target: object, constructorOpt?: unknown): void;
  stackTraceLimit?: number | undefined;
}

const ErrorCtor = Error as unknown as V8ErrorConstructor;

/**
 * The current stack as text, without the frames above and including `above` (V8), with at
 * most `limit` frames where the engine lets us choose.
 */
export function captureStackText(limit: number, above: unknown): string {
  const saved = ErrorCtor.stackTraceLimit;
  const settable = typeof saved === 'number';
  if (settable) ErrorCtor.stackTraceLimit = limit;
  try {
    if (typeof ErrorCtor.captureStackTrace === 'function') {
      const holder: { stack?: string } = {};
      ErrorCtor.captureStackTrace(holder, above);
      return holder.stack ?? '';
    }
    return new Error().stack ?? '';
  } finally {
    if (settable) ErrorCtor.stackTraceLimit = saved;
  }
}

interface CallSiteLike {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  /** The offset in the script: one number where line and column are two (V8 10+). */
  getPosition?(): number;
}

interface V8PrepareErrorConstructor {
  prepareStackTrace?: ((error: Error, sites: CallSiteLike[]) => unknown) | undefined;
}

const structured = (_error: Error, sites: CallSiteLike[]): unknown => sites;

/**
 * A cheap key naming the current stack's raw positions (V8 only, else undefined): reading
 * CallSites skips formatting the text, which under source maps (vitest, `--enable-source-maps`)
 * costs a hundred times more. Equal keys mean equal stacks, so the text is only formatted and
 * parsed the first time a call site is seen.
 */
export function captureStackKey(limit: number, above: unknown): string | undefined {
  if (typeof ErrorCtor.captureStackTrace !== 'function') return undefined;
  const ctor = Error as unknown as V8PrepareErrorConstructor & V8ErrorConstructor;
  const savedPrepare = ctor.prepareStackTrace;
  const savedLimit = ctor.stackTraceLimit;
  ctor.prepareStackTrace = structured;
  ctor.stackTraceLimit = limit;
  try {
    const holder: { stack?: unknown } = {};
    ctor.captureStackTrace!(holder, above);
    const sites = holder.stack;
    if (!Array.isArray(sites)) return undefined;
    let key = '';
    for (const site of sites as CallSiteLike[]) {
      const at = site.getPosition !== undefined ? site.getPosition() : `${site.getLineNumber() ?? 0}:${site.getColumnNumber() ?? 0}`;
      key += `${site.getFileName() ?? ''}:${at}\n`;
    }
    return key;
  } catch {
    return undefined;
  } finally {
    ctor.prepareStackTrace = savedPrepare;
    ctor.stackTraceLimit = savedLimit;
  }
}

/** Whether the engine honours `Error.stackTraceLimit` (V8). */
export const stackLimitSettable: boolean = typeof ErrorCtor.stackTraceLimit === 'number';

/** The directory part of a file name (`/a/b/c.ts` → `/a/b/`). */
export function directoryOf(filename: string): string {
  const at = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
  return at < 0 ? '' : filename.slice(0, at + 1);
}
