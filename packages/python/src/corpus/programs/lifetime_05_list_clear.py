class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print('del', self.n)
l = [R(i) for i in range(4)]
print('built')
l.clear()
print('cleared')
l = [R(10), R(11)]
del l[0]
print('removed one')
l = None
print('end')
