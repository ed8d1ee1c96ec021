import sys
class Boom(Exception):
    pass
saved = None
try:
    raise Boom('x')
except Boom as e:
    saved = e
    print(sys.getrefcount(e) > 1)
print(sys.getrefcount(saved) >= 2)
print(type(saved).__name__, saved)
try:
    print(e)
except NameError as err:
    print('NameError', err)
