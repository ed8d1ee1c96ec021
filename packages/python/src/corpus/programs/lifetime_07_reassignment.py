class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
x = R(1)
x = R(2)
print('rebound')
x = R(3)
print('rebound again')
y = x
x = None
print('x none')
y = None
print('end')
