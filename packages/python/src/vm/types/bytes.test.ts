/**
 * bytes' and bytearray's methods on refheap-python against python3: each snippet prints results
 * (or the exception a call raises, as "Name: message") and both interpreters must print the same.
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

compareWithCPython('bytes and bytearray methods as CPython 3.11 has them', [
  snippet('constructors', py`
    show(lambda: bytes())
    show(lambda: bytes(3))
    show(lambda: bytes([65, 66, 67]))
    show(lambda: bytes(range(3)))
    show(lambda: bytes([256]))
    show(lambda: bytes([-1]))
    show(lambda: bytes(['a']))
    show(lambda: bytes('héllo', 'utf-8'))
    show(lambda: bytes('héllo'))
    show(lambda: bytes(-1))
    show(lambda: bytes(b'abc'))
    show(lambda: bytes(1.5))
    show(lambda: bytearray(b'xy'))
    show(lambda: bytearray(2))
    show(lambda: bytes.fromhex('de ad BE ef'))
    show(lambda: bytes.fromhex('abc'))
    show(lambda: bytes.fromhex('zz'))
    show(lambda: bytearray.fromhex('00ff'))
  `),
  snippet('methods', py`
    b = b'  hello world  '
    show(lambda: b.strip())
    show(lambda: b.lstrip())
    show(lambda: b.rstrip(b' d'))
    show(lambda: b.split())
    show(lambda: b.split(None, 1))
    show(lambda: b.rsplit(None, 1))
    show(lambda: b'a,b,,c'.split(b','))
    show(lambda: b'a,b,,c'.rsplit(b',', 1))
    show(lambda: b'a,b'.split(b''))
    show(lambda: b'-'.join([b'a', bytearray(b'b'), b'c']))
    show(lambda: b'-'.join([b'a', 'b']))
    show(lambda: b.find(b'o'))
    show(lambda: b.rfind(b'o'))
    show(lambda: b.find(111))
    show(lambda: b.count(b'l'))
    show(lambda: b.index(b'z'))
    show(lambda: b.startswith(b'  h'))
    show(lambda: b.endswith((b'x', b'  ')))
    show(lambda: b.startswith('x'))
    show(lambda: b.replace(b'l', b'L', 2))
    show(lambda: b.upper())
    show(lambda: b'ABC'.lower())
    show(lambda: b'caf\xc3\xa9'.decode())
    show(lambda: b'caf\xc3\xa9'.decode('latin-1'))
    show(lambda: b'\xff\xfe'.decode())
    show(lambda: b'\xe2\x82'.decode())
    show(lambda: b'\xe2\x28\xa1'.decode())
    show(lambda: b'abc\x80'.decode('ascii'))
    show(lambda: b'abc\x80'.decode('ascii', 'ignore'))
    show(lambda: b'\x01\xab'.hex())
    show(lambda: b'\x01\xab\xcd'.hex(':'))
    show(lambda: b'\x01\xab\xcd'.hex('-', 2))
    show(lambda: b'\x01\xab\xcd'.hex('-', -2))
  `),
  snippet('sequence protocol', py`
    b = b'abcdef'
    show(lambda: len(b))
    show(lambda: b[0])
    show(lambda: b[-1])
    show(lambda: b[1:3])
    show(lambda: b[::-2])
    show(lambda: b[10])
    show(lambda: b['x'])
    show(lambda: list(b))
    show(lambda: 99 in b)
    show(lambda: b'cd' in b)
    show(lambda: 'c' in b)
    show(lambda: b + b'gh')
    show(lambda: b + 'gh')
    show(lambda: b * 2)
    show(lambda: 2 * b'x')
    show(lambda: bytearray(b'ab') + b'cd')
    show(lambda: bytearray(b'ab')[0:1])
    show(lambda: bytearray(b'ab')[5])
    show(lambda: type(iter(b)).__name__)
    show(lambda: hash(b'abc') == hash(b'ab' + b'c'))
  `),
  {
    ...snippet('bytearray mutation', py`
    a = bytearray(b'ab')
    a.append(99)
    a.extend(b'de')
    a.extend([102, 103])
    print(a)
    show(lambda: a.pop())
    show(lambda: a.pop(0))
    print(a)
    show(lambda: a.append(256))
    a[0] = 65
    print(a)
    a.clear()
    print(a, len(a))
    show(lambda: a.pop())
  `),
  },
]);
