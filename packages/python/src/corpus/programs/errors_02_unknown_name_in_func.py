import sys
print('start')
try:
    def f():
        return missing + 1
    f()
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
