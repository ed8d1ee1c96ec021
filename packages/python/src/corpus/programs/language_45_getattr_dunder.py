class Dyn:
    def __getattr__(self, name):
        return 'dyn_' + name
    def __setattr__(self, name, value):
        print('set', name, value)
        object.__setattr__(self, name, value)
d = Dyn()
print(d.foo)
d.bar = 1
print(d.bar)
print(getattr(d, 'zip'))
