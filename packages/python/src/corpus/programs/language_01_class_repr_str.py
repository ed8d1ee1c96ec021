class P:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f'P({self.x!r}, {self.y!r})'
    def __str__(self):
        return f'<{self.x},{self.y}>'
p = P(1, 'a')
print(p)
print(repr(p))
print([p])
print(f'{p} {p!r}')
print(str(p), '%s %r' % (p, p))
