class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
keep = [R(1), R(2)]
print('holding')
keep.reverse()
keep.pop(0)
print('popped')
keep.pop()
print('end')
