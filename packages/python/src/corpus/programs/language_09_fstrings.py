x = 'hi'
y = 3.14159
n = 1234567
p = 0.256
v = 'q'
print(f'[{x:>8}]')
print(f'[{x:<8}]|[{x:^8}]')
print(f'{y:.3f} {y:10.2f} {y:e}')
print(f'{n:,} {n:_} {n:x} {n:08d}')
print(f'{p:.1%}')
print(f'{v!r} {v!s}')
print(f'{n=}')
print(f'{"nested":*^12}')
