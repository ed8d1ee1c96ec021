# A built-in sequence's + and * are sq_concat and sq_repeat, which CPython tries only after both
# operands' number slots: the right operand's __radd__ / __rmul__ answers first, and only its
# NotImplemented lets the sequence concatenate or repeat (through __index__).
class Count:
    def __init__(self, n):
        self.n = n

    def __index__(self):
        return self.n

    def __rmul__(self, other):
        return ('rmul', other)

    def __mul__(self, other):
        return ('mul', other)


class Shy(Count):
    def __rmul__(self, other):
        return NotImplemented


class Tail:
    def __radd__(self, other):
        return ('radd', other)


print([1] * Count(2), 'ab' * Count(2), (1,) * Count(2), b'ab' * Count(2))
print(Count(2) * [1], Count(2) * 'ab')
print([1] * Shy(2), 'ab' * Shy(3), (0,) * Shy(2))
print('ab' + Tail(), [1] + Tail(), (1,) + Tail(), b'x' + Tail())
try:
    [1] + Count(1)
except TypeError as error:
    print(error)
try:
    'a' * 2.5
except TypeError as error:
    print(error)
