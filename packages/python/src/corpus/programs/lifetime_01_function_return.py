class R:
    def __init__(self, n):
        self.n = n
        print('acquire', n)
    def __del__(self):
        print('release', self.n)
def use():
    a = R(1)
    b = R(2)
    c = R(3)
    print('using')
use()
print('after')
