import sys
print('start')
try:
    x = 1
    def f():
        print(x)
        x = 2
    f()
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
