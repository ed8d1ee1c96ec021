class R:
    def __del__(self):
        print('R del')
def gen():
    r = R()
    try:
        yield 1
        yield 2
    finally:
        print('finally')
g = gen()
print(next(g))
del g
print('end')
