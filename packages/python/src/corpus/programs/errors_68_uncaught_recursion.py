def f(n):
    return f(n + 1)
print('start')
f(0)
# filler line 0
# filler line 1
# filler line 2
# filler line 3
# filler line 4
# filler line 5
