l1 = [1]
l2 = [2]
l1.append(l2)
l2.append(l1)
print(l1, l2, l1[1], l2[1][1][1])
d = {'a': 1}
d['self'] = d
print(d)
print(l1[1][1] is l1)
import gc
print(gc.isenabled())
