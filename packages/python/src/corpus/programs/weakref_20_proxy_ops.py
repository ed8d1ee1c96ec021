import weakref
class O:
    def __init__(self):
        self.v = 5
    def __len__(self):
        return 3
o = O()
p = weakref.proxy(o)
print(p.v, len(p))
p.v = 7
print(o.v)
print(type(p).__name__)
