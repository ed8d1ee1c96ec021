import weakref
class Node:
    registry = []
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []
        Node.registry.append(self)
root = Node("root")
for i in range(4):
    child = Node(f"child{i}", root)
    root.children.append(child)
    for j in range(2):
        child.children.append(Node(f"leaf{i}{j}", child))
cache = weakref.WeakValueDictionary()
cache["first"] = root.children[0]
w = weakref.ref(root)
config = {"depth": [2, 3.5]}
lost = [1.5, "a lost cycle"]
lost.append(lost)
del lost
pass  # snap
extra = [2]
pass  # snap
del extra
alias = config
pass  # snap
