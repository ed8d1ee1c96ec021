class Count:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        self.i = 0
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i
print(list(Count(4)))
print(sum(Count(10)), 3 in Count(5))
for a, b in zip(Count(3), Count(3)):
    print(a, b)
