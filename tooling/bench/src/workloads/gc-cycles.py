"""gc-cycles: N/2 pairs x.a = y; y.a = x, the names dropped, then ONE gc.collect().

The same program as gc-cycles.ts. The build runs with gc disabled and is not timed; the
full collection that finds and frees all N objects is. Reported per object: time / N.
"""
import gc
import time


class Node:
    __slots__ = ('a', 'b', '__weakref__')


def build_cycles(n):
    for _ in range(n // 2):
        x = Node()
        y = Node()
        x.a = y
        y.a = x
        del x, y


def run(n):
    gc.collect()  # start from a clean heap, as the TypeScript side starts from a new one
    gc.disable()
    build_cycles(n)
    started = time.perf_counter_ns()
    found = gc.collect()
    ns = time.perf_counter_ns() - started
    gc.enable()
    if found < n:
        raise RuntimeError(f'gc-cycles: collect() found {found} unreachable objects, expected {n}')
    return {'gc-cycles': ns / n}
