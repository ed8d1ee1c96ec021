import sys
def work():
    x = []
    print(sys.getrefcount(x))
    y = x
    z = [x, y]
    print(sys.getrefcount(x))
    del z
    print(sys.getrefcount(x))
    return x
r = work()
print(sys.getrefcount(r))
