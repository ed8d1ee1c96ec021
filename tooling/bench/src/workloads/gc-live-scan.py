"""gc-live-scan: N live Nodes in a binary tree, then ONE gc.collect() that frees nothing.

The same program as gc-live-scan.ts: node i's children are nodes 2i+1 and 2i+2 (slots a
and b), only the root is held by a name. The build runs with gc disabled and is not
timed; the full collection is. Reported per object: time / N.
"""
import gc
import time


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
    return nodes[0]  # the list goes; every other node is held by its parent alone


def collect_live_tree(n):
    """One round: a clean start, the tree built, one timed full collection, the tree freed."""
    gc.collect()  # start from a clean heap, as the TypeScript side does
    gc.disable()
    root = build_tree(n)
    started = time.perf_counter_ns()
    found = gc.collect()
    ns = time.perf_counter_ns() - started
    gc.enable()
    if found != 0:
        raise RuntimeError(f'gc-live-scan: collect() found {found} unreachable objects in a live tree')
    del root  # frees the whole tree by counting
    return ns


def run(n):
    return {'gc-live-scan': collect_live_tree(n) / n}
