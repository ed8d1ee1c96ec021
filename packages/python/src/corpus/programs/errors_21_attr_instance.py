import sys
print('start')
try:
    class C: pass
    C().missing
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
