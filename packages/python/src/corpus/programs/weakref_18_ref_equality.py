import weakref
class O:
    pass
a = O()
b = O()
ra = weakref.ref(a)
rb = weakref.ref(b)
print(ra == weakref.ref(a), ra == rb)
print(hash(ra) == hash(a))
del a
print(ra == weakref.ref(b))
print(ra() is None)
