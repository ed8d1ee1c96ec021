class A:
    def __init__(self):
        print('A init')
    def who(self):
        return 'A'
class B(A):
    def __init__(self):
        super().__init__()
        print('B init')
    def who(self):
        return 'B>' + super().who()
class C(B):
    pass
c = C()
print(c.who())
print(isinstance(c, A), issubclass(C, A), issubclass(A, C))
print([k.__name__ for k in C.__mro__])
