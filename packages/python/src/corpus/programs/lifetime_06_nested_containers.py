class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
outer = [[R(1), R(2)], {'k': R(3)}, (R(4),)]
print('built')
del outer[1]
print('dict gone')
del outer
print('all gone')
