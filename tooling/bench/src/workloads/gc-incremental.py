"""gc-incremental: a kept tree of N Nodes, and N two-cycles made, kept a while, dropped.

The same program as gc-incremental.ts. The tree is built with gc disabled and collected
once, so it sits in the oldest generation; then N operations each make a two-cycle,
keep it in a window of the last 5,000 and drop the oldest, with automatic collection on.
CPython 3.11 has only stop-the-world collection, so both rows of each metric get its one
number. Pauses are timed from gc.callbacks "start" to "stop", on the wall clock and, for the
"(own time)" rows, as the thread's own time (the smaller of that and time.thread_time_ns's
count, as gc-incremental.ts's ownTimeClock); peak RSS is sampled from
/proc/self/statm every 4,096 operations and at the end of each full collection.
"""
import gc
import math
import os
import time

WINDOW = 5000
SAMPLE_EVERY = 4096
STALL_EVERY = 64  # operations between two looks at the clock for the longest stall
PAGE = os.sysconf('SC_PAGE_SIZE')


class Node:
    __slots__ = ('a', 'b', '__weakref__')


def build_tree(n):
    nodes = [Node() for _ in range(n)]
    for i in range(1, n):
        parent = nodes[(i - 1) >> 1]
        if (i - 1) & 1:
            parent.b = nodes[i]
        else:
            parent.a = nodes[i]
    return nodes[0]


def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * PAGE


PROBE_MS = 10_000  # how long the host-stall probe runs at full size (gc-incremental.ts's)
PROBE_WORK = 200  # iterations between two looks at the clock: some 20 µs of Python


class Gaps:
    """The gaps between a probe's looks at one clock: a stall is what a gap takes beyond the shortest."""

    def __init__(self):
        self.shortest = math.inf
        self.longest = 0
        self.long = []

    def add(self, gap):
        self.shortest = min(self.shortest, gap)
        self.longest = max(self.longest, gap)
        if gap > 1_000_000:
            self.long.append(gap)

    def worst_stall(self):
        return max(0, self.longest - self.shortest) / 1e6

    def stalls_over_1ms(self):
        return sum(1 for gap in self.long if gap - self.shortest > 1_000_000)


def host_stalls(ms):
    """On the wall clock and the thread's CPU clock: the longest an empty loop was held up (ms), and how many times a second over 1 ms."""
    x = 1
    wall, charged = Gaps(), Gaps()
    last = time.perf_counter_ns()
    last_cpu = time.thread_time_ns()
    began = last
    end = last + ms * 1_000_000
    while last < end:
        for _ in range(PROBE_WORK):
            x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        t = time.perf_counter_ns()
        c = time.thread_time_ns()
        wall.add(t - last)
        charged.add(min(c - last_cpu, t - last))  # own time: see thread-clock.ts
        last, last_cpu = t, c
    seconds = (last - began) / 1e9
    return (wall.worst_stall(), wall.stalls_over_1ms() / seconds,
            charged.worst_stall(), charged.stalls_over_1ms() / seconds)


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(len(ordered) * fraction) - 1))]


def churn(ops, sample):
    """Runs the churn; returns the longest any STALL_EVERY consecutive operations took, in ms."""
    window = [None] * WINDOW
    stall = 0
    last = time.perf_counter_ns()
    for i in range(ops):
        x = Node()
        y = Node()
        x.a = y
        y.a = x
        del y
        window[i % WINDOW] = x  # the oldest two-cycle becomes garbage
        del x
        if i % SAMPLE_EVERY == 0:
            sample()
        if i % STALL_EVERY == 0:
            t = time.perf_counter_ns()
            stall = max(stall, t - last)
            last = t
    return stall / 1e6


def run(n):
    host, host_over, host_cpu, host_cpu_over = host_stalls(PROBE_MS if n >= 100_000 else 20)
    gc.disable()
    root = build_tree(n)
    gc.collect()  # everything into the oldest generation, as a long-running program has it
    peak = [0]
    pauses = []
    cpu_pauses = []
    started_at = [0, 0]

    def sample():
        peak[0] = max(peak[0], rss())

    def on_collection(phase, info):
        if phase == 'start':
            started_at[0] = time.perf_counter_ns()
            started_at[1] = time.thread_time_ns()
        else:
            cpu = time.thread_time_ns() - started_at[1]
            wall = time.perf_counter_ns() - started_at[0]
            cpu_pauses.append(min(cpu, wall) / 1e6)  # own time: see thread-clock.ts
            pauses.append(wall / 1e6)
            if info['generation'] == 2:
                sample()

    ops = n
    gc.callbacks.append(on_collection)
    gc.enable()
    try:
        started = time.perf_counter_ns()
        stall = churn(ops, sample)
        ns = time.perf_counter_ns() - started
    finally:
        gc.disable()
        gc.callbacks.remove(on_collection)
    sample()
    del root
    gc.collect()
    gc.enable()
    out = {
        'gc-incremental-host-stall': host,
        'gc-incremental-host-stalls-over-1ms': host_over,
        'gc-incremental-host-stall (own time)': host_cpu,
        'gc-incremental-host-stalls-over-1ms (own time)': host_cpu_over,
        'gc-incremental-pause-max (own time)': max(cpu_pauses, default=0.0),
        'gc-incremental-pause-p99 (own time)': percentile(cpu_pauses, 0.99),
        'gc-incremental-pauses-over-1ms (own time)': sum(1 for p in cpu_pauses if p > 1) / (ns / 1e9),
    }
    for suffix in ('', ' (stop-the-world)'):
        out['gc-incremental-pause-max' + suffix] = max(pauses, default=0.0)
        out['gc-incremental-pause-p99' + suffix] = percentile(pauses, 0.99)
        out['gc-incremental-peak-rss' + suffix] = peak[0] / (1 << 20)
        out['gc-incremental-throughput' + suffix] = ns / ops
        out['gc-incremental-stall-max' + suffix] = stall
        out['gc-incremental-pauses-over-1ms' + suffix] = sum(1 for p in pauses if p > 1) / (ns / 1e9)
    return out
