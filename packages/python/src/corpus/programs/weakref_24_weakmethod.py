import weakref
class O:
    def m(self):
        return 'm'
o = O()
wm = weakref.WeakMethod(o.m)
print(wm()())
del o
print(wm())

print('end', 0)
