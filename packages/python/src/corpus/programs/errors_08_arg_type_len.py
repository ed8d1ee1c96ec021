import sys
print('start')
try:
    len(5)
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')

print('end', 0)
