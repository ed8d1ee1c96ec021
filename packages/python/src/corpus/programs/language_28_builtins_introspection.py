class C:
    x = 1
    def __init__(self):
        self.a = 1
        self.b = 2
c = C()
print(isinstance(c, C), isinstance(3, (str, int)), type(c).__name__, type(3))
print(hasattr(c, 'a'), getattr(c, 'z', 'default'))
setattr(c, 'z', 26)
print(c.z)
delattr(c, 'z')
print(hasattr(c, 'z'), vars(c))
print([n for n in dir(c) if not n.startswith('_')])
print(type(type), type(None).__name__)
