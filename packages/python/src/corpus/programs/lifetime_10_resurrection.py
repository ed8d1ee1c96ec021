import gc
saved = []
class Phoenix:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
        saved.append(self)
p = Phoenix(1)
del p
print('saved', len(saved))
p = saved.pop()
print('resurrected', p.n)
del p
print('second del did not run', len(saved))
gc.collect()
print('end')
