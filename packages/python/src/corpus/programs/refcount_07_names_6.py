import sys
a = []
d = {'k': a, 'j': a}
print(sys.getrefcount(d['k']))
x = d['k']
print(sys.getrefcount(d['k']))
y = [x, x]
print(sys.getrefcount(d['k']))
del y
print(sys.getrefcount(d['k']))
x = None
print(sys.getrefcount(d['k']))
print(type(d['k']).__name__)
