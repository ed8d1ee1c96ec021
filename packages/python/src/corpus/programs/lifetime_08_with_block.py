class Ctx:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print('enter', self.name)
        return self
    def __exit__(self, *exc):
        print('exit', self.name, exc[0])
        return False
    def __del__(self):
        print('del', self.name)
with Ctx('a') as c:
    print('inside', c.name)
print('after with')
del c
with Ctx('b'):
    print('inside b')
print('end')
