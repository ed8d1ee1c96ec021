import sys
print('start')
try:
    def f(*, k):
        pass
    f()
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
