# interp-linked-list: a linked list of N __slots__ Nodes, built from the tail, then dropped
# whole by `head = None` (each node frees the next). The runner binds N.
class Node:
    __slots__ = ('value', 'next')

    def __init__(self, value, next):
        self.value = value
        self.next = next


head = None
for i in range(N):
    head = Node(i, head)
assert head.value == N - 1
head = None
