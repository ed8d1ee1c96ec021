/**
 * The builtins module against python3: each snippet's stdout from refheap-python must equal
 * CPython 3.11's — results, and the exception messages of bad calls, word for word.
 */
import { compareWithCPython, py } from '../test-support/snippets.ts';

const SHOW = py`
    def t(f):
        try: print(repr(f()))
        except BaseException as e: print(type(e).__name__+':', e)
`;

const checked = (name: string, body: string): { name: string; source: string } => ({ name, source: `${SHOW}\n${body}\n` });

compareWithCPython('builtin functions: results and CPython messages', [
  checked('argument errors', py`
    t(lambda: len(1,2)); t(lambda: len(x=1)); t(lambda: print(x=1)); t(lambda: print(sep=1))
    t(lambda: print(end=1)); t(lambda: max()); t(lambda: max([])); t(lambda: max(1,2,default=3)); t(lambda: max([], x=1))
    t(lambda: min(1)); t(lambda: sum(['a'],'')); t(lambda: sum([b'a'],b'')); t(lambda: sum()); t(lambda: sorted()); t(lambda: sorted([],[]))
    t(lambda: isinstance(1, 1)); t(lambda: issubclass(1, int)); t(lambda: issubclass(int, 1)); t(lambda: getattr(1, 2)); t(lambda: hasattr(1,2)); t(lambda: setattr(1,2,3)); t(lambda: delattr(1,2))
    t(lambda: getattr(1)); t(lambda: hex('a')); t(lambda: chr(-1)); t(lambda: chr('a')); t(lambda: ord('ab')); t(lambda: ord(1)); t(lambda: format(1, 2))
  `),
  checked('numbers and conversions', py`
    t(lambda: abs('a')); t(lambda: round('a')); t(lambda: divmod(1,0)); t(lambda: divmod(1.0,0)); t(lambda: divmod('a',1)); t(lambda: pow(2,3,0)); t(lambda: pow(2.0,3,5)); t(lambda: pow(2,-1,4)); t(lambda: pow(3,-1,7))
    t(lambda: round(float('inf'))); t(lambda: round(float('nan'))); t(lambda: round(1.7e308, -308)); t(lambda: round(2.5)); t(lambda: round(0.125,2)); t(lambda: round(-0.4,0)); t(lambda: round(25,-1)); t(lambda: round(1.5, None))
    t(lambda: iter(1, 2)); t(lambda: next(1)); t(lambda: next(iter([]))); t(lambda: vars(1)); t(lambda: enumerate()); t(lambda: enumerate(1)); t(lambda: zip(1)); t(lambda: map(len)); t(lambda: filter(None)); t(lambda: reversed(1)); t(lambda: reversed())
  `),
  checked('iterators and constructors', py`
    t(lambda: list(zip([1],[1,2], strict=True))); t(lambda: list(zip([1,2],[1], strict=True))); t(lambda: list(zip([1,2],[1,2],[1], strict=True))); t(lambda: list(zip([1],[1],[1,2], strict=True)))
    t(lambda: classmethod()); t(lambda: staticmethod(1,2)); t(lambda: property(1,2,3,4,5)); t(lambda: super()); t(lambda: super(1)); t(lambda: super(int, 'a')); t(lambda: callable()); t(lambda: repr()); t(lambda: id()); t(lambda: hash([]))
    t(lambda: sum([1,2],start=3)); t(lambda: min([3,1],key=lambda x:-x)); t(lambda: max(default=1)); t(lambda: input())
    t(lambda: (hash(1), hash(-1), hash(2**61), hash(1.5), hash(-0.5), hash(float('inf')), hash((1,2)), hash(()), hash((1,(2,3))), hash(True), hash(2**100), hash(frozenset({1,2,3})), hash(frozenset())))
  `),
  checked('results', py`
    t(lambda: iter()); t(lambda: next()); t(lambda: dir(1,2)); t(lambda: print(file=1))
    t(lambda: [round(x, 1) for x in (0.05, 0.15, 0.25, 0.35, 2.675, -2.675, 1e-320)]); t(lambda: [round(2.675, 2), round(1.005, 2), round(123.456, -1), round(5e-324, 323), round(0.5), round(1.5), round(-1.5)])
    t(lambda: (sum([1, 2.5, 3]), sum([[1], [2]], []), sum([True, True]), sum([], True), sum(range(10**6)), sum([2**62, 2**62])))
    t(lambda: (min('bca'), max([1, 3, 2], key=lambda x: -x), max((), default=None), min([1, 1.0], key=abs), max([[1], [2]])))
    t(lambda: sorted([(1, 'b'), (1, 'a'), (0, 'c')], key=lambda p: p[0])); t(lambda: sorted('hello', reverse=True)); t(lambda: sorted([3, 'a']))
    t(lambda: (divmod(-7, 2), divmod(7.5, -2), divmod(2**70, 3), pow(2, 100, 97), pow(-3, 3, 7), pow(2, 5, -7), pow(5, 0, 1)))
    t(lambda: (bin(0), oct(-8), hex(2**70), hex(True)))
    t(lambda: (abs(-2**70), abs(-0.0), abs(True)))
  `),
]);

const CLASSES = py`
    class Base:
        def __init__(self, x):
            self.x = x
        def hello(self):
            return 'Base.hello ' + str(self.x)
        @classmethod
        def make(cls, x):
            return cls(x)
        @staticmethod
        def st(a):
            return a * 2
        @property
        def double(self):
            return self.x * 2
    class Mid(Base):
        def __init__(self, x):
            super().__init__(x + 1)
        def hello(self):
            return 'Mid>' + super().hello()
        @classmethod
        def make(cls, x):
            r = super().make(x)
            return ('made', type(r).__name__, r.x)
    class Leaf(Mid):
        def hello(self):
            return 'Leaf>' + super(Mid, self).hello()
        @property
        def double(self):
            return super().double + 1000
    l = Leaf(1)
    print(l.x, l.hello(), Leaf.make(5), l.st(4), Leaf.st(5), l.double)
    s = super(Leaf, l)
    print(type(s).__name__, s.__thisclass__.__name__, s.__self__ is l, s.__self_class__.__name__)
    try: s.nope
    except AttributeError as e: print(e)
`;

compareWithCPython('builtins on user classes and lazy iterators', [
  {
    name: 'special methods, laziness, rounding and hashing',
    source: py`
      print(*[1, 2], sep=None, end=None)
      print(list(reversed({'a': 1, 'b': 2})), list(reversed({'a': 1}.items())) if hasattr({}.items(), '__reversed__') else '')
      class V:
          def __init__(self, v): self.v = v
          def __add__(self, o): return V(self.v + (o.v if isinstance(o, V) else o))
          __radd__ = __add__
          def __round__(self, n=None): return ('round', n)
          def __abs__(self): return 'abs'
          def __divmod__(self, o): return ('dm', o)
          def __rdivmod__(self, o): return ('rdm', o)
          def __format__(self, spec): return 'V:' + spec
          def __lt__(self, o): return self.v < o.v
          def __repr__(self): return f'V({self.v})'
          def __len__(self): return 2
          def __getitem__(self, i):
              if i >= 2: raise IndexError
              return i
          def __call__(self): return 'called'
      print(sum([V(1), V(2)]).v, round(V(1)), round(V(1), 2), abs(V(1)), divmod(V(1), 3), divmod(3, V(1)), format(V(1), 'x'), f'{V(2):y}')
      print(sorted([V(3), V(1), V(2)]), min(V(3), V(1)), max([V(3), V(5)]), callable(V(1)), list(reversed(V(0))), list(iter(V(0))), list(V(0)))
      class S:
          __slots__ = ('a',)
      try: vars(S())
      except TypeError as e: print(e)
      print(isinstance(V, type), isinstance(int, type), type(V) is type, issubclass(V, object), isinstance(None, object))
      def side(tag, items):
          for i in items:
              print(tag, i)
              yield i
      print(list(zip(side('a', [1, 2]), side('b', [3]))))
      print(list(map(lambda a, b: a + b, side('c', [1, 2]), side('d', [10]))))
      print(next(filter(lambda x: x > 1, side('e', [1, 2, 3]))))
      g = (i for i in range(3))
      print(next(g), list(g), next(g, 'done'))
      print(any(side('f', [0, 1, 2])), all(side('g', [1, 0, 2])))
      print(max([1, 2], default=0), min((), key=len, default='x'), max('ab', 'cd', key=lambda s: s[1]))
      print(sorted({3: 'a', 1: 'b'}), sorted('bca', key=None), sorted([1, 2, 3], reverse=1))
      print(hasattr([], 'append'), getattr([], 'append').__name__, getattr(V(1), 'v'))
      class G:
          def __getattr__(self, name):
              if name == 'dyn': return 42
              raise AttributeError(name)
      print(getattr(G(), 'dyn'), hasattr(G(), 'nope'), getattr(G(), 'nope', 'fallback'))
      class Boom:
          @property
          def p(self): raise ValueError('boom')
      try: hasattr(Boom(), 'p')
      except ValueError as e: print('ValueError', e)
      print(round(2.5), round(3.5), round(-0.5), round(0.5), round(1e300), round(123.456, 1), round(-123.456, -1), round(1e-5, 5), round(0.285, 2), round(1.0000000000000002, 15))
      print(hash(0.1) == hash(0.1), hash(1) == hash(1.0) == hash(True), hash('') == hash(''), hash(None) == hash(None))
      print(divmod(-7.5, 2), divmod(7, -2), pow(0, 0), pow(2, -2), pow(-2, 3, 5))
      print(bin(10**20), oct(-0), hex(-255))
      print(chr(97), chr(0x10ffff) == '\U0010ffff', ord('\x00'))
      print(ascii([1, 'é', '\n']), repr('é'), ascii('😀'))
    `,
  },
  {
    name: 'print up to a failing str(), super() with self in a cell or deleted',
    source: py`
      class Bad:
          def __str__(self): raise ValueError('no str')
      try:
          print(1, 'a', Bad(), 2)
      except ValueError as e:
          print()
          print('ValueError', e)
      class A:
          def __init__(self): self.v = 'A'
          def get(self): return self.v
      class B(A):
          def __init__(self):
              super().__init__()
              self.f = lambda: self.v
          def get(self):
              inner = lambda: self
              return 'B' + super().get() + inner().v
      print(B().get(), B().f())
      class C(B):
          def get(self, *rest):
              return super().get()
      print(C().get())
      def outside():
          return super()
      try: outside()
      except RuntimeError as e: print('RuntimeError', e)
      class D:
          def m(self):
              del self
              return super().m
      try: D().m()
      except RuntimeError as e: print('RuntimeError', e)
    `,
  },
  {
    name: 'the OSError family and the warnings',
    source: py`
      try:
          raise PermissionError('denied')
      except OSError as e:
          print(type(e).__name__, e, isinstance(e, PermissionError), PermissionError.__mro__ if hasattr(PermissionError, '__mro__') else '')
      class Mine(ConnectionResetError): pass
      try: raise Mine(1, 2)
      except ConnectionError as e: print(repr(e), e.args)
      print(issubclass(BrokenPipeError, OSError), issubclass(SyntaxWarning, Warning))
      import builtins
      print(getattr(builtins, 'None'), getattr(builtins, 'True'), getattr(builtins, 'False'), repr(builtins.__package__))
    `,
  },
  {
    name: 'a float divmod with a zero quotient keeps its sign',
    source: py`
      print(divmod(0.0, -3), 0.0 // -3)
    `,
  },
]);

compareWithCPython('eval and exec of source strings', [
  {
    name: 'eval and exec',
    source: py`
      x = 10
      print(eval('x + 1'), eval('[i * 2 for i in range(3)]'), eval('  1'))
      g = {'a': 2}
      print(eval('a * 3', g))
      exec('y = x * 2\nprint("in exec", y)')
      print(y)
      exec('z = a + 1', g)
      print(g['z'], sorted(k for k in g if k != '__builtins__'))
      print(eval('None'), eval(repr((1, 'a', [2.5]))))
      try: eval('1; 2')
      except SyntaxError as e: print('SyntaxError')
      try: eval(1)
      except TypeError as e: print(e)
      try: exec('raise ValueError("v")')
      except ValueError as e: print('ValueError', e)
      def f(n):
          m = n * 2
          exec('k = m + 1\nprint("exec sees", n, m, k, x)')
          return eval('n + m + x')
      print(f(1))
      class K:
          v = 3
          w = eval('v + 1')
      print(K.w)
    `,
  },
]);

compareWithCPython('builtin classes: super, property, classmethod, iterators, print', [
  {
    name: 'a property without a setter is named by its attribute',
    source: py`
      class R:
          x = property(lambda s: 1)
      try:
          R().x = 5
      except AttributeError as e:
          print('AttributeError', e)
    `,
  },
  { name: 'super and descriptors', source: `${CLASSES}\n${py`
    class A:
        def f(self):
            def g():
                return super(A, self).__repr__
            return g
    print(callable(A().f()()))
  `}` },
  { name: 'property', source: `${CLASSES}\n${py`
    class P:
        def __init__(self): self._v = 0
        @property
        def v(self):
            "the v"
            return self._v
        @v.setter
        def v(self, value): self._v = value * 10
        @v.deleter
        def v(self): print('deleting'); del self._v
    p = P()
    p.v = 3
    print(p.v, P.v.__doc__, P.v.fget.__name__, P.v.fset is not None)
    del p.v
    print(hasattr(p, '_v'))
    q = property(lambda self: 1)
    print(q.fset, q.fdel, isinstance(q, property))
  `}\n` },
  { name: 'hash and isinstance', source: `${CLASSES}\n${py`
    cm = classmethod(len); sm = staticmethod(len)
    print(cm.__func__ is len, sm.__func__ is len, sm('abc'))
    class Eq:
        def __eq__(self, o): return True
    class EqHash(Eq):
        __hash__ = object.__hash__
    try: hash(Eq())
    except TypeError as e: print(e)
    print(type(hash(EqHash())).__name__)
    class H:
        def __hash__(self): return 2**64 + 5
    print(hash(H()))
    class H2:
        def __hash__(self): return -1
    print(hash(H2()))
  `}\n` },
  { name: 'iterators', source: `${CLASSES}\n${py`
    print(isinstance(l, (int, (str, Base))), issubclass(Leaf, (int, Mid)), isinstance(3, object), issubclass(type, object))
    print(sorted(n for n in dir(l) if not n.startswith('__')))
    print(vars(l), sorted(vars(Leaf).keys()))
    def f(a, b=2):
        c = a + b
        return sorted(locals().items())
    print(f(1))
    print('f' in globals(), globals()['__name__'])
  `}\n` },
  { name: 'print, format and the rest', source: `${CLASSES}\n${py`
    class It:
        def __init__(self): self.n = 0
        def __iter__(self): return self
        def __next__(self):
            self.n += 1
            if self.n > 3: raise StopIteration
            return self.n
    print(list(It()), next(It()), sum(It()), max(It()), list(enumerate(It(), start=10)), list(zip(It(), 'ab')), list(map(lambda a, b: a*b, It(), It())))
    def gen():
        yield 1
        return 'done'
    g = gen(); next(g)
    try: next(g)
    except StopIteration as e: print('stop', e.value)
    calls = iter([1, 2, 3, 0, 5])
    print(list(iter(lambda: next(calls), 0)))
    print(list(reversed('abc')), list(reversed((1, 2))), list(reversed(range(3))))
    class Seq:
        def __len__(self): return 3
        def __getitem__(self, i): return i * i
    print(list(reversed(Seq())))
    class Rev:
        def __reversed__(self): return iter('zyx')
    print(list(reversed(Rev())))
    print(list(filter(lambda x: x % 2, range(10))), list(filter(None, [0, '', 'a', [], [1]])))
    e = enumerate('xy')
    print(next(e), list(e), repr(e)[:18])
    print(list(zip()), list(zip('abc', range(10))), list(map(len, ['a', 'bb'])))
  `}\n` },
]);
