import gc
x = []
holder1 = [x]
holder2 = {'x': x}
print(len(gc.get_referrers(x)) >= 2)
print(len(gc.get_referents(holder1)))
print(len(gc.get_referents(holder2)))
print(gc.is_tracked(holder1), gc.is_tracked(x))

print('end', 0)
print('end', 1)
