import sys
print('start')
try:
    [1].index(9)
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')

print('end', 0)
