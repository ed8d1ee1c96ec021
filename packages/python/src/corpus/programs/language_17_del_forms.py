l = list(range(10))
del l[0]
print(l)
del l[1:3]
print(l)
del l[::2]
print(l)
d = {'a': 1, 'b': 2}
del d['a']
print(d)
class O: pass
o = O()
o.x = 1
del o.x
print(hasattr(o, 'x'))
x = 5
del x
print('x' in globals())
