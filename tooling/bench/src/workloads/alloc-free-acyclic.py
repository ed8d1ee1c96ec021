"""alloc-free-acyclic: x = Node(); y = Node(); x.a = y, then both dropped, N times.

The same program as alloc-free-acyclic.ts. Counting frees both objects when the names
go. Timed with gc enabled (as CPython always runs) and again with gc.disable(), which is
as close to "no collector" as CPython gets: the objects keep their GC headers, and no
collection runs here anyway, since allocations and deallocations cancel out.
Reported per object: total / 2N.
"""
import gc
import time

WITH_GC = 'alloc-free-acyclic'
NO_GC = 'alloc-free-acyclic (no collector)'


class Node:
    __slots__ = ('a', 'b', '__weakref__')


def alloc_free(n):
    for _ in range(n):
        x = Node()
        y = Node()
        x.a = y
        del x  # frees x, which releases its reference to y
        del y  # frees y


def time_once(with_gc, n):
    if with_gc:
        gc.enable()
    else:
        gc.disable()
    started = time.perf_counter_ns()
    alloc_free(n)
    ns = time.perf_counter_ns() - started
    gc.enable()
    return ns / (2 * n)


def run(n):
    return {WITH_GC: time_once(True, n), NO_GC: time_once(False, n)}
