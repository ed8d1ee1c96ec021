class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
d = {'x': R('x'), 'y': R('y'), 'z': R('z')}
d.pop('y')
print('popped y')
d['x'] = R('x2')
print('replaced x')
d.clear()
print('end')
