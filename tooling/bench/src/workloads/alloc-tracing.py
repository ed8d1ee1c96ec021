"""alloc-tracing: what allocation tracing costs on alloc-free-acyclic's program.

The same measurements as alloc-tracing.ts, back to back in each run: the program
untraced; with tracing off (tracemalloc started, then stopped); and with every
allocation traced with one frame (tracemalloc.start(1)), at N/50 as on the refheap side.
Untraced and tracing-off swap places from one run to the next. CPython's tracemalloc
has no sampling mode, so that row has no CPython number.
"""
import time
import tracemalloc

UNTRACED = 'alloc-tracing (untraced)'
OFF = 'alloc-tracing (tracing off)'
ALL = 'alloc-tracing (tracing all, 1 frame)'
ALL_DIVISOR = 50


class Node:
    __slots__ = ('a', 'b', '__weakref__')


def alloc_free(n):
    for _ in range(n):
        x = Node()
        y = Node()
        x.a = y
        del x
        del y


def ns_per_object(n):
    started = time.perf_counter_ns()
    alloc_free(n)
    return (time.perf_counter_ns() - started) / (2 * n)


runs = 0


def run(n):
    global runs
    # CPython has one allocator per process, and stop() puts it back as it was: after
    # start() and stop(), "untraced" and "tracing off" are the same state, timed twice.
    tracemalloc.start(1)
    tracemalloc.stop()
    sample = {}
    if runs % 2 == 0:
        sample[UNTRACED] = ns_per_object(n)
        sample[OFF] = ns_per_object(n)
    else:
        sample[OFF] = ns_per_object(n)
        sample[UNTRACED] = ns_per_object(n)
    runs += 1
    tracemalloc.start(1)
    try:
        sample[ALL] = ns_per_object(max(1, n // ALL_DIVISOR))
    finally:
        tracemalloc.stop()
    return sample
