l = [1]
print(l[0])
l[3]
# filler line 0
# filler line 1
# filler line 2
# filler line 3
# filler line 4
# filler line 5

print('end', 0)
