/**
 * The narration of a learner's own program, run on refheap-python (the program/ trace): each
 * line event with the objects it made or freed, the live count after it, the collections that
 * ran during it, how the counts of the module's names changed (name-counts.ts), what it printed; a per-line summary for lines a loop runs
 * many times; and a closing paragraph written from those numbers. Plain data, no Node APIs.
 */
import type { ProgramTrace } from '../program/index.ts';
import { countChanges, type NameCounts } from './name-counts.ts';

export interface NarratedEvent {
  readonly step: number;
  readonly lineno: number;
  readonly functionName: string;
  /** The source line, trimmed. */
  readonly code: string;
  /** The program's own live objects after the step, and the change the step made. */
  readonly liveObjects: number;
  readonly delta: number;
  /** Collections that ran during the step, and in all since the program began. */
  readonly collected: number;
  readonly collections: number;
  /** What the step printed. */
  readonly printed: string;
  /** How the module's names' counts changed in the step: `a 1 → 2`, `b 2 (new)`, `b deleted`. */
  readonly counts: readonly string[];
  readonly text: string;
}

export interface LineSummary {
  readonly lineno: number;
  readonly code: string;
  /** How many line events ran it. */
  readonly runs: number;
  /** The net change in live objects over all its runs. */
  readonly delta: number;
  readonly collected: number;
}

export interface ProgramNarration {
  readonly filename: string;
  readonly events: readonly NarratedEvent[];
  /** How many line events ran in all; `events` holds the first `eventLimit` of them. */
  readonly totalEvents: number;
  readonly lines: readonly LineSummary[];
  readonly summary: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly error: string | null;
  readonly stoppedBy: ProgramTrace['stoppedBy'];
  /** Ran to its end without an uncaught exception or a budget stopping it. */
  readonly ok: boolean;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

function describe(e: Omit<NarratedEvent, 'text'>): string {
  const where = e.functionName === '<module>' ? `line ${e.lineno}` : `line ${e.lineno} (in ${e.functionName})`;
  const change =
    e.delta > 0
      ? `${plural(e.delta, 'more object', 'more objects')}`
      : e.delta < 0
        ? `${plural(-e.delta, 'fewer object', 'fewer objects')}`
        : 'no objects made or freed';
  const gc = e.collected > 0 ? `; the collector ran ${plural(e.collected, 'time')} (${e.collections} in all)` : '';
  const counts = e.counts.length > 0 ? `; counts: ${e.counts.join(', ')}` : '';
  return `${where}: ${change}, ${plural(e.liveObjects, 'live object')}${gc}${counts}.`;
}

export interface NarrateOptions {
  /** How many line events are narrated one by one (the rest are summed per line). */
  readonly eventLimit?: number;
  /** The names' counts after each step (nameCountsAfter), for the events narrated. */
  readonly names?: readonly NameCounts[];
}

export function narrateProgram(source: string, filename: string, trace: ProgramTrace, options: NarrateOptions = {}): ProgramNarration {
  const eventLimit = options.eventLimit ?? 200;
  const names = options.names ?? [];
  const text = source.split('\n');
  const codeAt = (lineno: number): string => (text[lineno - 1] ?? '').trim();
  const events: NarratedEvent[] = [];
  const byLine = new Map<number, { runs: number; delta: number; collected: number }>();
  let live = 0;
  let collections = 0;
  let printedUpTo = 0;
  for (const step of trace.steps) {
    const base = {
      step: step.step,
      lineno: step.lineno,
      functionName: step.functionName,
      code: codeAt(step.lineno),
      liveObjects: step.liveObjects,
      delta: step.liveObjects - live,
      collected: step.collections - collections,
      collections: step.collections,
      printed: trace.stdout.slice(printedUpTo, step.stdoutLength),
      counts: names[step.step] && names[step.step - 1] ? countChanges(names[step.step - 1]!, names[step.step]!) : [],
    };
    if (events.length < eventLimit) events.push({ ...base, text: describe(base) });
    const line = byLine.get(step.lineno) ?? { runs: 0, delta: 0, collected: 0 };
    line.runs++;
    line.delta += base.delta;
    line.collected += base.collected;
    byLine.set(step.lineno, line);
    live = step.liveObjects;
    collections = step.collections;
    printedUpTo = step.stdoutLength;
  }
  const lines = [...byLine].sort(([a], [b]) => a - b).map(([lineno, l]) => ({ lineno, code: codeAt(lineno), ...l }));
  const peak = trace.steps.reduce((max, s) => Math.max(max, s.liveObjects), 0);
  const busiest = [...lines].sort((a, b) => b.delta - a.delta)[0];
  const parts = [
    `${filename} ran ${plural(trace.steps.length, 'line event')} on ${plural(lines.length, 'line')}.`,
    `Its own objects peaked at ${plural(peak, 'live object')} and ${live === 0 ? 'none were left' : `${plural(live, 'was', 'were')} left`} at the last line.`,
    collections === 0
      ? 'The collector never ran: reference counting freed everything that was freed.'
      : `The collector ran ${plural(collections, 'time')} (automatic collections and gc.collect() alike).`,
  ];
  if (busiest && busiest.delta > 0) parts.push(`Line ${busiest.lineno} added the most: ${plural(busiest.delta, 'object')} over ${plural(busiest.runs, 'run')}.`);
  if (trace.stoppedBy === 'step budget') parts.push('It was stopped at its step budget: it may loop forever.');
  else if (trace.error) parts.push(`It ended with ${trace.error}.`);
  return {
    filename,
    events,
    totalEvents: trace.steps.length,
    lines,
    summary: parts.join(' '),
    stdout: trace.stdout,
    stderr: trace.stderr,
    error: trace.error,
    stoppedBy: trace.stoppedBy,
    ok: trace.stoppedBy === 'end',
  };
}
