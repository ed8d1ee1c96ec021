import weakref
class C:
    pass
c = C()
p = weakref.proxy(c)
del c
print(p.x)
# filler line 0
# filler line 1
# filler line 2
# filler line 3
# filler line 4
# filler line 5
