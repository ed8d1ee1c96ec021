import sys
print('start')
try:
    for x in 5:
        pass
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
