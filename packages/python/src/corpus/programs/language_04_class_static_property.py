class T:
    count = 0
    def __init__(self, v):
        self._v = v
        T.count += 1
    @classmethod
    def make(cls, v):
        return cls(v)
    @staticmethod
    def double(x):
        return x * 2
    @property
    def v(self):
        return self._v
    @v.setter
    def v(self, value):
        self._v = value * 10
t = T.make(3)
print(t.v, T.double(4), T.count)
t.v = 2
print(t.v)
try:
    del t.v
except AttributeError as e:
    print('AttributeError', e)
