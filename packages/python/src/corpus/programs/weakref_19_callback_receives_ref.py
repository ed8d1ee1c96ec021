import weakref
class O:
    pass
seen = []
def cb(r):
    seen.append(r)
o = O()
r = weakref.ref(o, cb)
del o
print(len(seen), seen[0] is r, seen[0]())
