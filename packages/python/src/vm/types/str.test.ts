/**
 * str's methods on refheap-python against python3: each snippet prints results (or the
 * exception a call raises, as "Name: message") and both interpreters must print the same.
 */
import { compareWithCPython, py } from '../../test-support/snippets.ts';

const SHOW = py`
  def show(f):
      try:
          print(repr(f()))
      except Exception as e:
          print(type(e).__name__ + ':', e)
`;

const snippet = (name: string, body: string): { name: string; source: string } => ({ name, source: `${SHOW}\n${body}\n` });

compareWithCPython('str methods as CPython 3.11 has them', [
  snippet('split and join', py`
    s = '  a b\tc\n d  '
    for args in [(), (None,), (None, 1), (' ',), (' ', 2), ('b',), ('x',)]:
        show(lambda: s.split(*args))
        show(lambda: s.rsplit(*args))
    show(lambda: 'a,b,,c'.split(','))
    show(lambda: 'a,b,,c'.rsplit(',', 1))
    show(lambda: 'abc'.split(''))
    show(lambda: 'abc'.split(1))
    show(lambda: '-'.join(['a', 'b', 'c']))
    show(lambda: ''.join(x for x in 'xyz'))
    show(lambda: ','.join(['a', 1]))
    show(lambda: 'a\nb\r\nc\rd\x0be\x1cf\u2028g'.splitlines())
    show(lambda: 'a\nb\r\nc\n'.splitlines(True))
    show(lambda: ''.splitlines())
  `),
  snippet('strip and affixes', py`
    show(lambda: '  x  '.strip())
    show(lambda: '\u3000x\xa0'.strip())
    show(lambda: 'xxhixx'.strip('x'))
    show(lambda: 'xxhixx'.lstrip('x'))
    show(lambda: 'xxhixx'.rstrip('x'))
    show(lambda: 'abc'.strip(1))
    show(lambda: 'hello'.startswith('he'))
    show(lambda: 'hello'.startswith(('x', 'hel')))
    show(lambda: 'hello'.startswith('l', 2))
    show(lambda: 'hello'.endswith('lo', 0, 5))
    show(lambda: 'hello'.endswith('', 6))
    show(lambda: 'hello'.startswith(1))
    show(lambda: 'hello'.startswith(('a', 1)))
    show(lambda: 'prefix_x'.removeprefix('prefix_'))
    show(lambda: 'x_suffix'.removesuffix('_suffix'))
    show(lambda: 'abc'.removeprefix(''))
  `),
  snippet('find and count', py`
    s = 'abcabcab'
    for f in [s.find, s.rfind, s.count, s.index, s.rindex]:
        for args in [('ab',), ('ab', 1), ('ab', 1, 5), ('ab', -3), ('',), ('', 8), ('', 9), ('z',), ('c', None, -1)]:
            show(lambda: f(*args))
    show(lambda: s.find(1))
    show(lambda: 'a😀b😀c'.find('b'))
    show(lambda: 'a😀b😀c'.rfind('😀'))
    show(lambda: 'a😀b😀c'.count('😀', 2))
  `),
  snippet('replace and case', py`
    show(lambda: 'aaaa'.replace('a', 'b', 2))
    show(lambda: 'abc'.replace('', '-'))
    show(lambda: 'abc'.replace('', '-', 2))
    show(lambda: 'abc'.replace('x', 'y'))
    for s in ['hello world', "they're bill's", 'ßtraße', 'ǆungla', 'HeLLo', 'ΑΣ Σ', '123abc', '']:
        for m in ['upper', 'lower', 'title', 'capitalize', 'swapcase', 'casefold', 'istitle', 'isupper', 'islower']:
            show(lambda: getattr(s, m)())
  `),
  snippet('padding', py`
    for w in [0, 5, 6, 7, 10]:
        show(lambda: 'abc'.center(w))
        show(lambda: 'ab'.center(w, '*'))
        show(lambda: 'abc'.ljust(w, '-'))
        show(lambda: 'abc'.rjust(w))
        show(lambda: '-42'.zfill(w))
        show(lambda: '+x'.zfill(w))
    show(lambda: 'a'.center(5, 'ab'))
    show(lambda: 'a😀'.center(6, '😀'))
    show(lambda: 'a\tbc\td\n\te'.expandtabs())
    show(lambda: 'a\tbc\td'.expandtabs(4))
    show(lambda: 'a\tb'.expandtabs(0))
  `),
  snippet('predicates', py`
    for s in ['', 'abc', 'ABC', 'aBc', '123', '١٢٣', '²', '½', '一', 'a1', ' \t\n', '\u3000', 'x y', '_id', '1id', 'é', 'Title Case', 'a\x00']:
        print(repr(s), [getattr(s, m)() for m in ['isdigit', 'isdecimal', 'isnumeric', 'isalpha', 'isalnum', 'isspace', 'isidentifier', 'isascii', 'isprintable']])
  `),
  snippet('partition, translate, encode', py`
    show(lambda: 'a=b=c'.partition('='))
    show(lambda: 'a=b=c'.rpartition('='))
    show(lambda: 'abc'.partition('x'))
    show(lambda: 'abc'.rpartition('x'))
    show(lambda: 'abc'.partition(''))
    t = str.maketrans('abc', 'xyz', 'd')
    show(lambda: sorted(t.items()))
    show(lambda: 'abcdd'.translate(t))
    show(lambda: 'abc'.translate({97: 'AA', 98: None}))
    show(lambda: str.maketrans({'a': 1}))
    show(lambda: str.maketrans('ab', 'c'))
    show(lambda: 'héllo'.encode())
    show(lambda: 'héllo'.encode('latin-1'))
    show(lambda: 'héllo'.encode('ascii'))
    show(lambda: 'héllo'.encode('ascii', 'replace'))
    show(lambda: 'x'.encode('nope'))
  `),
  snippet('format and percent', py`
    show(lambda: '{} {}'.format(1, 'a'))
    show(lambda: '{0!r:>8}|{name:^7}|{x[1]}'.format('s', name='n', x=[1, 2]))
    show(lambda: '{:{w}.{p}f}'.format(3.14159, w=10, p=2))
    show(lambda: '{} {1}'.format(1, 2))
    show(lambda: '{2}'.format(1, 2))
    show(lambda: '{missing}'.format())
    show(lambda: '}'.format())
    show(lambda: '{a}-{b}'.format_map({'a': 1, 'b': 2}))
    show(lambda: '{0}'.format_map({}))
    show(lambda: format('abc', '*^9'))
    show(lambda: 'abc'.__format__('>5'))
    show(lambda: '%s=%d (%.2f) %r %x %5s|%-5s|' % ('k', 42, 2.5, 'q', 255, 'r', 'l'))
    show(lambda: '%(a)s and %(b)05d' % {'a': 'x', 'b': 7})
    show(lambda: '%d' % 'x')
    show(lambda: '%s %s' % (1,))
    show(lambda: '%s' % (1, 2))
    show(lambda: '%q' % 1)
    show(lambda: '%c%c' % (72, 'i'))
  `),
  snippet('formatting through the interpreter', py`
    x, f, s = 42, 3.14159, 'héllo'
    print(f'{x:>6}|{x:<#8x}|{x:+,}|{f:.2f}|{f:10.3e}|{s:^11}|{s!r}|{f:%}')
    print(format(1e16), format(0.1, '.3'), format(-0.0, 'z.1f'), format(1234567, '_d'), format(True, 'd'))
    print('%5.1f%% of %s' % (99.55, [1, 2]))
    print('{0:{1}.{2}f}'.format(2.5, 8, 3), '{:*^9}'.format('mid'))
    show(lambda: format(1.5, 'd'))
    show(lambda: format('x', '+'))
    show(lambda: format(10, '.2'))
    show(lambda: f'{x:abc}')
    show(lambda: '{:,s}'.format('a'))
  `),
  snippet('iteration, builtins and unbound methods', py`
    for ch in 'a😀b': print(ch, end='|')
    print()
    it = iter('xy'); print(next(it), next(it)); 
    try: next(it)
    except StopIteration: print('stop')
    print(type(iter('é')).__name__, type(iter(b'')).__name__, list(iter(b'ab')))
    print(sorted({'b', 'a'}), 'abc' < 'abd', hash('x') == hash('x'))
    print(str(b'abc'), str(12.5), str(None), repr('a\nb'))
    print('x'.join(map(str, range(4))), ', '.join(['a']*3))
    print(str.upper('abc'), str.join('-', 'abc'))
    print('abc'.__len__(), 'abc'.__getitem__(slice(None, None, -1)))
    print(bytes('abc', 'ascii') + b'd', b'x' * 3, bytes(range(3)), bytearray(b'q'))
    print('{0.real}'.format(5), '{0[a]}'.format({'a': 1}))
    d = {'k': 'v'}
    print('%(k)s' % d, '{k}'.format(**d), 'a{}b'.format_map(d) if False else '')
    print('Straße'.casefold(), 'ǆ'.title(), 'İ'.lower(), len('İ'.lower()))
  `),
  snippet('sequence protocol', py`
    s = 'h😀llo wörld'
    show(lambda: len(s))
    show(lambda: s[1])
    show(lambda: s[-1])
    show(lambda: s[1:4])
    show(lambda: s[::-1])
    show(lambda: s[::3])
    show(lambda: s[100])
    show(lambda: s[1.5])
    show(lambda: s[5:1:-2])
    show(lambda: list(s))
    show(lambda: type(iter('abc')).__name__)
    show(lambda: type(iter('é')).__name__)
    show(lambda: 'ö' in s)
    show(lambda: 1 in s)
    show(lambda: 'ab' + 'cd')
    show(lambda: 'ab' + 1)
    show(lambda: 'ab' * 3)
    show(lambda: 3 * 'ab')
    show(lambda: 'ab' * -1)
    show(lambda: 'ab' * 1.5)
    show(lambda: hash('abc') == hash('ab' + 'c'))
    show(lambda: str())
    show(lambda: str(42))
    show(lambda: str([1, 'a']))
    show(lambda: str(b'caf\xc3\xa9', 'utf-8'))
    show(lambda: str(b'\xff', 'utf-8'))
    show(lambda: str(b'\xff', 'utf-8', 'replace'))
    show(lambda: str('x', 'utf-8'))
    show(lambda: str(object='kw'))
  `),
]);
