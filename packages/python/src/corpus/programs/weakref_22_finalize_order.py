import weakref
class O:
    pass
a = O()
b = O()
weakref.finalize(a, print, 'fin a')
weakref.finalize(b, print, 'fin b')
del b
print('b gone')
del a
print('end')
