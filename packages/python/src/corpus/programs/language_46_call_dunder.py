class Adder:
    def __init__(self, n):
        self.n = n
    def __call__(self, x):
        return x + self.n
add5 = Adder(5)
print(add5(10), callable(add5), callable(5), callable(print))
print(list(map(add5, [1, 2])))
def deco(f):
    def wrapper(*a):
        print('calling', f.__name__)
        return f(*a)
    return wrapper
@deco
def sq(x):
    return x * x
print(sq(4))
