class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
    def value(self):
        return self.n * 10
print(R(1).value())
print('after temp')
x = [R(2).value(), R(3).value()]
print(x)
R(4)
print('end')
