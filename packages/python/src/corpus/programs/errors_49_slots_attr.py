import sys
print('start')
try:
    class S:
        __slots__ = ('a',)
    S().b = 1
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
