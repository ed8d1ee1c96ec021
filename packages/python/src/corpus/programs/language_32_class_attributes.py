class Counter:
    instances = []
    def __init__(self, name):
        self.name = name
        Counter.instances.append(name)
a = Counter('a')
b = Counter('b')
print(Counter.instances, a.instances is b.instances)
a.instances = ['own']
print(a.instances, b.instances, Counter.instances)
print(Counter.__name__, sorted(k for k in vars(a)))
