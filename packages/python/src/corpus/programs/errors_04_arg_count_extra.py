import sys
print('start')
try:
    def f(a):
        pass
    f(1, 2, 3)
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
