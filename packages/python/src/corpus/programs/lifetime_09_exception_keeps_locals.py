import sys
class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
def fail():
    r = R(1)
    raise ValueError('boom')
try:
    fail()
except ValueError as e:
    print('caught', e)
    print('still alive?')
print('after except')
def fail2():
    r = R(2)
    raise KeyError('k')
try:
    fail2()
except KeyError as e:
    saved = e
print('saved exception')
del saved
print('end')
