class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
class Holder:
    pass
h = Holder()
h.a = R('a')
h.b = R('b')
del h.a
print('deleted attr')
h.b = 5
print('replaced attr', h.b)
del h
print('end')
