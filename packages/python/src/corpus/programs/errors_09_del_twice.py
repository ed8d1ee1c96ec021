import sys
print('start')
try:
    x = 1
    del x
    del x
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
