import gc
gc.disable()
class N:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print('del', self.name)
a = N('a')
b = N('b')
a.other = b
b.other = a
del a, b
print('collecting')
print('collected', gc.collect())
print('end')
