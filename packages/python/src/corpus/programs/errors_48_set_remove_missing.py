import sys
print('start')
try:
    set().remove(3)
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')

print('end', 0)
