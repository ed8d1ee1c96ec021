import sys
items = [[], [], []]
for item in items:
    print(sys.getrefcount(item))
print(sys.getrefcount(item))
print(sys.getrefcount(items[0]))
last = items.pop()
print(sys.getrefcount(last))
del item
print(sys.getrefcount(last))
for k in range(2):
    pass
print(k)
