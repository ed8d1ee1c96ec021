import sys
print('start')
try:
    {'a': 1}['b']
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')

print('end', 0)
