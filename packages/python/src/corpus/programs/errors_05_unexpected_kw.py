import sys
print('start')
try:
    def f(a):
        pass
    f(a=1, b=2)
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
