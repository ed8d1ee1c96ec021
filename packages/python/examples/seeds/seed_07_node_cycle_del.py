import gc
gc.disable()
class Node:
    def __init__(self, value):
        self.value = value
        self.next = None
    def __del__(self):
        print(f'Node {self.value} deleted')
a = Node(1)
b = Node(2)
a.next = b
b.next = a
del a
del b
print('References deleted')
collected = gc.collect()
print(f'Collected {collected} objects')
