"""memory-per-object: bytes per live two-slot object, as tracemalloc counts them.

The same measurement as memory-per-object.ts: N live Nodes (200,000 by default, as in
cpython-facts.md), the traced memory they added divided by N. The list that holds them
is made before tracing starts, so only the Nodes are counted. CPython always has its
collector (every Node carries a GC header), so both rows get the same number.
"""
import tracemalloc

WITH_GC = 'memory-per-object'
NO_GC = 'memory-per-object (no collector)'


class Node:
    __slots__ = ('a', 'b', '__weakref__')


def bytes_per_node(n):
    nodes = [None] * n
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            nodes[i] = Node()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / n


def run(n):
    per_node = bytes_per_node(n)
    return {WITH_GC: per_node, NO_GC: per_node}
