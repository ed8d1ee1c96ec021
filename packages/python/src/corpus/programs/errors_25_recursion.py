import sys
print('start')
try:
    def f(n):
        return f(n + 1)
    f(0)
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
