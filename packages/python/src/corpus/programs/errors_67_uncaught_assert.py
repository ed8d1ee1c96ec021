x = 1
print('x', x)
assert x == 2, 'x should be 2'
# filler line 0
# filler line 1
# filler line 2
# filler line 3
# filler line 4
# filler line 5

print('end', 0)
