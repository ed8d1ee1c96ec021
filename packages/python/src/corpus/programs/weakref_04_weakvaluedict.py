import weakref
class V:
    def __init__(self, n):
        self.n = n
d = weakref.WeakValueDictionary()
a = V(1)
b = V(2)
d['a'] = a
d['b'] = b
print(sorted(d.keys()))
del a
print(sorted(d.keys()))
print(d['b'].n)
print(d.get('a'))
