f = lambda *a, **k: (a, sorted(k.items()))
print(f(1, 2, z=3, y=4))
def g(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, kw
print(g(1, c=3))
print(g(1, 2, 3, 4, c=5, e=6))
def h(x, /, y):
    return x + y
print(h(1, y=2))

print('end', 0)
