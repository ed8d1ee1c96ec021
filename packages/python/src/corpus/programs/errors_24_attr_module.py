import sys
print('start')
try:
    import sys
    sys.nothing_here
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
