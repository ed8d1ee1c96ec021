import sys
print('start')
try:
    t = (1, 2)
    t[0] = 5
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
