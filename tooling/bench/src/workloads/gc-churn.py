"""gc-churn: N/2 pairs x.a = y; y.a = x made and dropped with automatic collection on.

The same program as gc-churn.ts. Total time per object, plus the longest and the 99th-
percentile pause of the collections that ran meanwhile, each timed from gc.callbacks'
"start" to its "stop" with perf_counter_ns (refheap records its own pauses). p99 is the
same nearest-rank percentile on both sides.
"""
import gc
import math
import time


class Node:
    __slots__ = ('a', 'b', '__weakref__')


def churn_cycles(n):
    for _ in range(n // 2):
        x = Node()
        y = Node()
        x.a = y
        y.a = x
        del x, y


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(len(ordered) * fraction) - 1))]


def run(n):
    pauses = []
    started_at = [0]

    def on_collection(phase, info):
        if phase == 'start':
            started_at[0] = time.perf_counter_ns()
        else:
            pauses.append((time.perf_counter_ns() - started_at[0]) / 1e6)

    gc.collect()  # start clean (not timed, not an automatic pause)
    gc.enable()
    gc.callbacks.append(on_collection)
    try:
        started = time.perf_counter_ns()
        churn_cycles(n)
        ns = time.perf_counter_ns() - started
    finally:
        gc.callbacks.remove(on_collection)
    if not pauses and n >= 2000:
        raise RuntimeError('gc-churn: no automatic collection ran')
    return {
        'gc-churn': ns / n,
        'gc-pause-max': max(pauses, default=0.0),
        'gc-pause-p99': percentile(pauses, 0.99),
    }
