class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
r1 = R(1)
r2 = R(2)
r3 = R(3)
del r1
print('deleted r1')
del r2
print('deleted r2')
del r3
print('deleted r3')
print('done')
