class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
for i in range(3):
    r = R(i)
    print('made', i)
print('loop done')
del r
print('end')
