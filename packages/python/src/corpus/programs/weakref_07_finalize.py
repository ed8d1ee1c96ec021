import weakref
class O:
    pass
o = O()
f = weakref.finalize(o, print, 'finalized', 42)
print(f.alive)
del o
print(f.alive)
o2 = O()
f2 = weakref.finalize(o2, print, 'never')
print(f2.detach()[1:])
del o2
print(f2.alive)
