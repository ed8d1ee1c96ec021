"""weakref-callback: an object with a weak reference and a callback, created and dropped, N times.

The same program as weakref-callback.ts. Dropping the object clears the weak reference
and calls its callback (which counts calls, so the work cannot be skipped); then the
weak reference itself is dropped. Reported per object: total / N.
"""
import time
import weakref


class Node:
    __slots__ = ('a', 'b', '__weakref__')


def weakref_churn(n):
    called = [0]

    def callback(ref):
        called[0] += 1

    for _ in range(n):
        x = Node()
        r = weakref.ref(x, callback)
        del x  # dies: r is cleared and the callback runs
        del r
    return called[0]


def run(n):
    started = time.perf_counter_ns()
    called = weakref_churn(n)
    ns = time.perf_counter_ns() - started
    if called != n:
        raise RuntimeError(f'weakref-callback: {called} callbacks for {n} objects')
    return {'weakref-callback': ns / n}
