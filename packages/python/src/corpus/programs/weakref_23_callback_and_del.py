import weakref
class O:
    def __del__(self):
        print('__del__')
o = O()
r = weakref.ref(o, lambda r: print('callback'))
del o
print('end')

print('end', 0)
print('end', 1)
