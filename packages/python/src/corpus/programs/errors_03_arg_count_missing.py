import sys
print('start')
try:
    def f(a, b):
        pass
    f(1)
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
