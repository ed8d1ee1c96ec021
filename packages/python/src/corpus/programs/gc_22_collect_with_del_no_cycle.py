import gc
gc.disable()
class R:
    def __del__(self):
        print('R del')
r = R()
r.data = [1, 2]
del r
print('collected', gc.collect())

print('end', 0)
