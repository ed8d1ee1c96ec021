import sys
print('start')
try:
    d = {}
    d[[1]] = 2
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
