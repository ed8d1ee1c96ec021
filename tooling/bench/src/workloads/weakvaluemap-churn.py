"""weakvaluemap-churn: WeakValueDictionary set / get churn, N times.

The same program as weakvaluemap-churn.ts. Each iteration makes a Node, stores it under
one of 1024 keys (replacing the entry there), reads it back, and drops it: the entry
vanishes when the Node dies. Reported per iteration: total / N.
"""
import time
import weakref

KEYS = 1024


class Node:
    __slots__ = ('a', 'b', '__weakref__')


def map_churn(n):
    cache = weakref.WeakValueDictionary()
    hits = 0
    for i in range(n):
        key = i & (KEYS - 1)
        x = Node()
        cache[key] = x
        if cache.get(key) is x:
            hits += 1
        del x  # dies: its entry leaves the map
    if len(cache) != 0:
        raise RuntimeError(f'weakvaluemap-churn: {len(cache)} entries outlived their objects')
    return hits


def run(n):
    started = time.perf_counter_ns()
    hits = map_churn(n)
    ns = time.perf_counter_ns() - started
    if hits != n:
        raise RuntimeError(f'weakvaluemap-churn: {hits} hits for {n} lookups')
    return {'weakvaluemap-churn': ns / n}
