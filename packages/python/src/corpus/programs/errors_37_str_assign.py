import sys
print('start')
try:
    s = 'ab'
    s[0] = 'x'
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
