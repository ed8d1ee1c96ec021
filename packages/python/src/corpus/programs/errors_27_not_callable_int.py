import sys
print('start')
try:
    x = 5
    x()
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
