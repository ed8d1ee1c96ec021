s = 'mississippi'
print(s.partition('ss'), s.rpartition('ss'))
print(s.split('s', 2), s.rsplit('s', 2))
print(s.index('p'), s.strip('mi'), s.removeprefix('miss'), s.removesuffix('pi'))
print('a\tb'.expandtabs(4), 'Ab Cd'.casefold(), 'x y'.isspace())
print(' '.join(reversed(s)), s[::-1], s * 0 == '')
print('%s' % [1, 2], 'abc' < 'abd', max('hello'))
print(str(123), str([1]), 'é'.encode(), len('é'.encode()))

print('end', 0)
print('end', 1)
