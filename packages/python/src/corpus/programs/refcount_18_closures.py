import sys
def outer():
    data = []
    def inner():
        return data
    print(sys.getrefcount(data))
    return inner
fn = outer()
d = fn()
print(sys.getrefcount(d))
fn2 = fn
print(sys.getrefcount(d))
del fn, fn2
print(sys.getrefcount(d))
