for i in range(5):
    if i == 3:
        break
else:
    print('no break')
print('i', i)
for i in range(2):
    pass
else:
    print('loop else')
n = 0
while n < 5:
    n += 1
    if n % 2:
        continue
    print('even', n)
