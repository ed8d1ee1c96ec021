/**
 * Valid programs, together covering every construct of the subset: each is parsed by CPython
 * (twins/ast_dump.py) and by refheap-python, and the trees must be equal, positions included.
 */
import { py, type Case } from './cpython.ts';

export const CORPUS: readonly Case[] = [
  { name: 'empty file', source: '' },
  { name: 'only comments and blank lines', source: '# one\n\n   # two\n\n' },
  { name: 'no newline at the end', source: 'x = 1' },
  { name: 'CRLF line endings', source: 'if x:\r\n    y = 1\r\nelse:\r\n    y = 2\r\n' },
  {
    name: 'assignments',
    source: py`
      x = 1
      a = b = c = x
      a, b = b, a
      (a, b), c = (1, 2), 3
      [a, *rest] = range(5)
      *first, last = items
      obj.attr = value
      obj.a.b = 2
      table[key] = value
      grid[1][2] = 0
      x = y = (yield_ := 3)
      a, = t
      () = []
    `,
  },
  {
    name: 'augmented assignments',
    source: py`
      x += 1
      x -= 1
      x *= 2
      x @= m
      x /= 2
      x %= 3
      x &= 1
      x |= 1
      x ^= 1
      x <<= 1
      x >>= 1
      x **= 2
      x //= 2
      obj.count += 1
      table[k] += 1
      (y) += 1
    `,
  },
  {
    name: 'annotated assignments',
    source: py`
      x: int
      y: int = 1
      self.size: int = 0
      cache[key]: str = 'v'
      (z): float = 1.5
      items: list[int] = []
      pair: tuple[int, str] = (1, 'a')
      gen: int = yield
    `,
  },
  {
    name: 'arithmetic precedence',
    source: py`
      a + b * c - d / e // f % g @ h
      -x ** 2
      2 ** -1
      2 ** 3 ** 4
      ~x + +y - -z
      a << 2 >> 1 | b & c ^ d
      (a + b) * (c - d)
      x * (y + (z * (w - 1)))
    `,
  },
  {
    name: 'comparisons and boolean operators',
    source: py`
      a < b < c
      a == b != c <= d >= e > f
      x in y and x not in z
      a is b or a is not None
      not a and not b or c
      a or b or c and d and e
      0 < x <= 10 if flag else x == -1
    `,
  },
  {
    name: 'conditional expressions and lambdas',
    source: py`
      big = x if x > y else y
      nested = a if b else c if d else e
      f = lambda: 0
      g = lambda x, y=2, *args, z, w=3, **kwargs: x + y
      h = lambda *, key: key
      k = lambda a, /, b: a
      m = lambda x: (yield x)
      p = lambda: lambda: 1
    `,
  },
  {
    name: 'assignment expressions',
    source: py`
      if (n := len(items)) > 10:
          print(n)
      while chunk := read():
          process(chunk)
      data = [y for x in xs if (y := f(x))]
      print(total := 5)
      values[(i := 0)] = i
    `,
  },
  {
    name: 'numbers',
    source: py`
      ints = [0, 7, 1_000_000, 0x1F, 0XdeadBEEF, 0o17, 0O7_7, 0b1010, 0B1_0, 00, 0_0]
      big = 123456789012345678901234567890
      floats = [1.5, .5, 5., 1e10, 1E-3, 1.5e+3, 1_0.0_1, 3.14159, 1e999, 0.1, 1e16, 1e15, 1e-5, 0.0001]
      imaginary = [1j, 2.5J, 1e3j, 0j]
      mixed = 1 + 2j
      attribute = 1 .real
      keyword_after = [1if x else 2, 0x1for x in y]
    `,
  },
  {
    name: 'strings',
    source: py`
      a = 'single'
      b = "double"
      c = '''triple
      single'''
      d = """triple
      double"""
      e = ''
      f = """"""
      g = 'it\'s'
      h = "say \"hi\""
      i = 'mixed "quotes"'
    `,
  },
  {
    name: 'string prefixes',
    source: py`
      raw = r'\d+\n'
      Raw = R"\x"
      data = b'bytes'
      Data = B"BYTES"
      rawbytes = rb'\x00' + Rb'\n' + bR'\t' + BR'\\' + br'a' + Br'b'
      unicode = u'text'
      Unicode = U'text'
      fmt = f'{x}'
      Fmt = F'{x}'
      rawfmt = rf'{x}\n' + fR'\t{y}' + Rf'{z}' + FR'{w}'
    `,
  },
  {
    name: 'escape sequences',
    source: py`
      s = 'tab\there\nnewline \\ backslash \' quote \" dquote'
      t = '\a\b\f\r\v'
      u = '\x41\x7a\101\0\777'
      v = '\u00e9\U0001F600\u20ac'
      w = 'line \
      continued'
      unknown = '\q \d \w'
      octal = b'\1\12\123\1234\777'
      hexes = b'\x00\xff\x7F'
      bytes_unknown = b'\u1234 \N \q'
      quotes = b'\'\"\\'
    `,
  },
  {
    name: 'implicit concatenation',
    source: py`
      joined = 'a' "b" '''c'''
      with_u = u'a' 'b'
      u_second = 'a' u'b'
      raw_mix = r'\n' '\n'
      b_joined = b'a' rb'\b' B'c'
      multi = ('first '
               'second '
               "third")
      empty = '' ''
    `,
  },
  {
    name: 'f-strings',
    source: py`
      name = 'world'
      greeting = f'hello {name}!'
      conversions = f'{name!r} {name!s} {name!a}'
      spec = f'{value:>10} {value:.2f} {value:,}'
      nested = f'{value:{width}.{precision}}'
      braces = f'{{literal}} {x} {{'
      debug = f'{x=} {x = } {x=!s} {x=:>5}'
      expression = f'{a + b * c} {func(1, k=2)} {obj.attr[0]}'
      literal_dict = f'{ {"a": 1}["a"] }'
      comparison = f'{a != b} {a == b} {a <= b} {a >= b} {a < b} {a > b}'
      tuple_value = f'{a, b}'
      quoted = f'{"inner"} {x["key"]}'
      yielded = f'{(yield)}'
      lambda_value = f'{(lambda: 1)()}'
      empty = f''
      only_text = f'just text'
      spec_empty = f'{x:}'
      spec_braces = f'{x:{{}}>3}'
    `,
  },
  {
    name: 'f-string concatenation and positions',
    source: py`
      a = f'{x}' 'plain' f'{y}'
      b = 'plain' f'{x}'
      c = u'kind' f'{x}'
      d = f'{x:a{y}b}' f'{z}'
      e = (f'{first}'
           f'{second:c{third}d}')
      fé = f'é{x}é{y}'
      g = f'{x}' ''
    `,
  },
  {
    name: 'multi-line f-strings',
    source: py`
      report = f"""
      total: {total}
        items: {len(
          items)}
      done"""
      x = f"""{
      value}"""
      y = (1, f"""
      {a + b}""")
    `,
  },
  {
    name: 'lists tuples sets and dicts',
    source: py`
      empty_list = []
      empty_tuple = ()
      empty_dict = {}
      one = (1,)
      bare = 1, 2, 3
      trailing = [1, 2, 3,]
      nested = [[1, 2], [3, [4, 5]]]
      spread = [*a, *b, 1]
      tuple_spread = (*a, 1)
      s = {1, 2, 3}
      set_spread = {*a, *b}
      d = {'a': 1, 'b': 2}
      merged = {**base, 'extra': 1, **more}
      keys = {(1, 2): 'pair', None: 0, True: 1}
      walrus_set = {(y := 1), y}
    `,
  },
  {
    name: 'comprehensions',
    source: py`
      squares = [x * x for x in range(10)]
      evens = {x for x in data if x % 2 == 0}
      index = {k: v for k, v in pairs}
      lazy = (line.strip() for line in lines)
      matrix = [[row[i] for row in rows] for i in range(3)]
      flat = [y for x in xs for y in x if y if not z]
      pairs2 = [(a, b) for a in range(3) for b in range(a)]
      nested_gen = sum(x for x in (y for y in data))
      cond = [a if a else b for a, b in zip(xs, ys)]
      star_target = [first for first, *rest in rows]
    `,
  },
  {
    name: 'calls',
    source: py`
      f()
      f(1, 2)
      f(a, b=2)
      f(*args)
      f(**kwargs)
      f(1, *args, key=3, **kwargs)
      f(a=1, *args)
      f(*a, *b, **c, **d)
      f(a, b,)
      f(x for x in y)
      f(x for x in y if x)
      f((x for x in y), 1)
      f(key=value)(again)
      obj.method(arg).other()
      print('hello', end='', sep=' ')
      f(k := 1)
    `,
  },
  {
    name: 'subscripts and slices',
    source: py`
      a[1]
      a[-1]
      a[1:2]
      a[1:]
      a[:2]
      a[:]
      a[::2]
      a[1:2:3]
      a[::]
      a[1:2, 3]
      a[..., 0]
      a[:, None]
      a[i, j]
      a[(i, j)]
      a[*idx]
      a[1:2, *rest]
      a[b[c[d]]]
      d['key']['nested']
    `,
  },
  {
    name: 'attributes',
    source: py`
      a.b
      a.b.c.d
      a().b
      a[0].b
      'text'.join(parts)
      (1).real
      self.__dict__
    `,
  },
  {
    name: 'if elif else',
    source: py`
      if x > 0:
          sign = 1
      elif x < 0:
          sign = -1
      elif x == 0:
          sign = 0
      else:
          sign = None

      if a: b = 1
      if c: pass
      else: d = 2
    `,
  },
  {
    name: 'while and for loops',
    source: py`
      while True:
          if done():
              break
          continue
      else:
          pass

      for i in range(10):
          print(i)
      else:
          print('finished')

      for a, b in pairs:
          pass
      for (a, b) in pairs: pass
      for [a, b] in pairs: pass
      for x, in singles: pass
      for obj.attr in values: pass
      for item[0] in values: pass
      for *a, b in rows: pass
      for i in 1, 2, 3: pass
    `,
  },
  {
    name: 'try statements',
    source: py`
      try:
          risky()
      except ValueError:
          pass
      except (TypeError, KeyError) as error:
          handle(error)
      except Exception as e:
          raise RuntimeError('wrapped') from e
      except:
          raise
      else:
          ok()
      finally:
          cleanup()

      try:
          pass
      finally:
          pass

      try:
          pass
      except A:
          pass
      finally:
          pass
    `,
  },
  {
    name: 'with statements',
    source: py`
      with open(path) as f:
          data = f.read()
      with a as b, c as d:
          pass
      with lock:
          pass
      with a, b:
          pass
      with (open(x) as f, open(y) as g):
          pass
      with (a, b):
          pass
      with (a, b) as c:
          pass
      with (a) as b:
          pass
      with (yield):
          pass
      with ctx() as (x, y):
          pass
      with ctx() as obj.attr, ctx() as items[0]:
          pass
      with (
          first() as one,
          second() as two,
      ):
          pass
    `,
  },
  {
    name: 'raise assert del',
    source: py`
      raise
      raise ValueError
      raise ValueError('bad') from None
      assert x
      assert x, 'message'
      assert isinstance(x, int), f'{x!r} is not an int'
      del x
      del a, b
      del obj.attr
      del table[key]
      del items[1:3]
      del (a, b), [c]
      del a,
      del (x)
    `,
  },
  {
    name: 'imports',
    source: py`
      import sys
      import os.path
      import a.b.c as d
      import gc, weakref as wr
      from collections import OrderedDict
      from os import path as p, sep
      from x import (a, b as c)
      from x import (a,
                     b,)
      from . import sibling
      from .. import parent
      from .module import name
      from ...pkg.sub import thing
      from .... import four
      from typing import *
    `,
  },
  {
    name: 'global and nonlocal',
    source: py`
      counter = 0
      def increment():
          global counter
          counter += 1
      def outer():
          total = 0
          def inner():
              nonlocal total
              total += 1
          return inner
      def many():
          global a, b, c
    `,
  },
  {
    name: 'functions',
    source: py`
      def nothing():
          pass

      def simple(a, b):
          return a + b

      def defaults(a, b=1, c=None):
          return

      def everything(pos, /, normal, *args, kwonly, kwdefault=3, **kwargs):
          return pos, normal, args, kwonly, kwdefault, kwargs

      def only_positional(a, b=2, /):
          pass

      def slash_defaults(a=1, /, b=2):
          pass

      def star_only(*, key, other=1):
          pass

      def kwargs_only(**options):
          pass

      def annotated(x: int, y: 'str' = 'a', *args: tuple, z: float, **kw: dict) -> bool:
          return True

      def generator():
          yield
          yield 1
          yield from other()
          x = yield 2
          return x

      def one_line(x): return x * 2
    `,
  },
  {
    name: 'decorators',
    source: py`
      @decorator
      def a():
          pass

      @decorator.with_args(1, key=2)
      @another
      def b():
          pass

      @property
      def c(self):
          return self._c

      @register
      class Registered:
          pass

      @(lambda f: f)
      def d():
          pass

      @x[0]
      def e():
          pass
    `,
  },
  {
    name: 'classes',
    source: py`
      class Empty:
          pass

      class Child(Base):
          attribute = 1

          def __init__(self, value):
              super().__init__()
              self.value = value

          def __repr__(self):
              return f'Child({self.value!r})'

      class Meta(Base, metaclass=ABCMeta, **extra):
          pass

      class Parens():
          pass

      class Slots:
          __slots__ = ('a', 'b', '__weakref__')
    `,
  },
  {
    name: 'nested functions and closures',
    source: py`
      def counter():
          count = 0
          def step():
              nonlocal count
              count += 1
              return count
          return step

      def deep():
          def level1():
              def level2():
                  def level3():
                      return 3
                  return level3()
              return level2()
          return level1()
    `,
  },
  {
    name: 'semicolons and one-liners',
    source: py`
      a = 1; b = 2; c = 3
      x = 1;
      if x: y = 1; z = 2
      for i in r: print(i); continue
      import sys; print(sys.argv)
    `,
  },
  {
    name: 'line continuations',
    source: py`
      total = 1 + \
              2 + \
              3
      if a and \
         b:
          pass
      x = [1,
           2,
           3]
      call(a,
           b,   # a comment inside brackets
           c)
      value = (
          1
          + 2
      )
      d = {
          'a': 1,

          'b': 2,
      }
    `,
  },
  {
    name: 'comments everywhere',
    source: py`
      # leading comment
      x = 1  # trailing
      def f():  # after the colon
          # inside
          return x  # after return
          # dangling

      # between
      class A:  # class comment
          pass
      # at the end
    `,
  },
  {
    name: 'indentation with tabs',
    source: 'if x:\n\ty = 1\n\tif y:\n\t\tz = 2\nelse:\n\tw = 3\n',
  },
  { name: 'indentation of two spaces', source: 'def f():\n  if x:\n    return 1\n  return 2\n' },
  { name: 'form feeds', source: 'x = 1\n\f\ny = 2\n\fif x:\n    z = 3\n' },
  {
    name: 'unicode identifiers and strings',
    source: py`
      café = 'naïve'
      日本 = "語"
      π = 3.14159
      résumé = café + 日本
      print(f'{café} → {π:.2f}')
      x = 'ü'; y = 1
      ﬁle = 1
    `,
  },
  {
    name: 'blank lines with trailing whitespace in blocks',
    source: 'def f():\n    x = 1\n    \n        \n    return x\n',
  },
  {
    name: 'dedent to several levels at once',
    source: 'if a:\n    if b:\n        if c:\n            x = 1\ny = 2\n',
  },
  {
    name: 'dedents at the end of the file',
    source: 'class A:\n    def f(self):\n        if x:\n            return 1',
  },
  {
    name: 'soft keywords used as names',
    source: py`
      match = 1
      case = 2
      _ = 3
      match.group(0)
      match(x)
      match[0] = case
      print(match, case, _)
      type = int
    `,
  },
  {
    name: 'ellipsis, None, True, False',
    source: py`
      def stub(): ...
      x = ...
      a = None
      flags = [True, False]
      a[..., None]
    `,
  },
  {
    name: 'yield expressions',
    source: py`
      def gen():
          x = yield
          y = yield x
          z = yield from range(3)
          yield x, y
          w = (yield)
          await_ = yield 1, 2
          print((yield))
    `,
  },
  {
    name: 'starred expressions',
    source: py`
      print(*args)
      first, *middle, last = seq
      combined = [*a, *b]
      t = *a, *b
      return_value = (*a,)
      def f():
          return *a, b
      for x in *a, *b: pass
    `,
  },
  {
    name: 'return forms',
    source: py`
      def f():
          return
      def g():
          return 1, 2
      def h():
          return (1)
      def i():
          return not x
      def j():
          return lambda: 1
    `,
  },
  {
    name: 'refcount lesson',
    source: py`
      import sys

      a = []
      print(sys.getrefcount(a))  # 2: the name and the argument

      b = a
      print(sys.getrefcount(a))  # 3

      l = [1, 2, 3, a]
      print(sys.getrefcount(a))  # 4

      del b
      del l
      print(sys.getrefcount(a))  # 2

      def test(x):
          print("x has a refcount of:", sys.getrefcount(x))

      test(a)
    `,
  },
  {
    name: 'cycle lesson',
    source: py`
      import gc
      gc.disable()

      class Node:
          def __init__(self, name):
              self.name = name
              self.other = None

          def __del__(self):
              print(f"{self.name} freed")

      a = Node('a')
      b = Node('b')
      a.other, b.other = b, a
      del a, b
      print(gc.collect(), "unreachable objects found")
      print(gc.get_count(), gc.get_threshold())
      gc.enable()
    `,
  },
  {
    name: 'weak reference lesson',
    source: py`
      import weakref

      class Big:
          def __init__(self, size):
              self.data = bytearray(size)

      cache = weakref.WeakValueDictionary()

      def get(key, size=1024 * 1024):
          obj = cache.get(key)
          if obj is None:
              obj = cache[key] = Big(size)
          return obj

      r = weakref.ref(get('a'), lambda ref: print('gone', ref))
      print(r() is None)
      finalizer = weakref.finalize(get('b'), print, 'finalized')
    `,
  },
  {
    name: 'tracemalloc lesson',
    source: py`
      import tracemalloc

      tracemalloc.start(25)
      before = tracemalloc.take_snapshot()
      leak = [bytearray(1024) for _ in range(1000)]
      after = tracemalloc.take_snapshot()
      for stat in after.compare_to(before, 'lineno')[:3]:
          print(stat)
      current, peak = tracemalloc.get_traced_memory()
      print(f"{current / 1024:.1f} KiB now, {peak / 1024:.1f} KiB at most")
      tracemalloc.stop()
    `,
  },
  {
    name: 'context manager lesson',
    source: py`
      from contextlib import contextmanager

      @contextmanager
      def opened(path, mode='r'):
          f = open(path, mode)
          try:
              yield f
          finally:
              f.close()

      with opened('log.txt', 'w') as log, opened('data.txt') as data:
          for line in data:
              if not line.strip():
                  continue
              log.write(line.upper())
    `,
  },
  {
    name: 'class with properties and dunder methods',
    source: py`
      class Vector:
          __slots__ = ('x', 'y')

          def __init__(self, x=0.0, y=0.0):
              self.x, self.y = x, y

          @property
          def norm(self):
              return (self.x ** 2 + self.y ** 2) ** 0.5

          @norm.setter
          def norm(self, value):
              raise AttributeError('read-only')

          def __add__(self, other):
              return Vector(self.x + other.x, self.y + other.y)

          def __eq__(self, other):
              return isinstance(other, Vector) and (self.x, self.y) == (other.x, other.y)

          @staticmethod
          def zero():
              return Vector()

          @classmethod
          def of(cls, *coords):
              return cls(*coords)
    `,
  },
  {
    name: 'exceptions in a loop',
    source: py`
      results = []
      for value in values:
          try:
              results.append(int(value))
          except ValueError as e:
              print(f'skipping {value!r}: {e}')
              continue
          except (TypeError, OverflowError):
              break
          else:
              print('converted', value)
          finally:
              attempts += 1
      else:
          print('all done')
    `,
  },
  {
    name: 'deeply nested brackets',
    source: 'x = ((((((((((1))))))))))\ny = [[[[[[[[[[2]]]]]]]]]]\nz = {"a": {"b": {"c": {"d": [(1, {2})]}}}}\n',
  },
  {
    name: 'positions across long lines',
    source: py`
      result = some_function(argument_one, argument_two, keyword_argument=another_function(nested, deeply(inside)))
      data = {'key_' + str(i): [j ** 2 for j in range(i) if j % 3] for i in range(100) if i not in excluded}
    `,
  },
  {
    name: 'expressions spanning lines',
    source: py`
      total = (first_value
               + second_value
               * third_value)
      call(
          1,
          key=[
              2,
              3,
          ],
      )
      text = ('a'
              'b')
      chained = (obj
                 .method()
                 .other[0])
    `,
  },
  {
    name: 'lambda defaults and bodies',
    source: py`
      handlers = {
          'add': lambda a, b: a + b,
          'neg': lambda a: -a,
          'const': lambda: 42,
          'kw': lambda *a, k=1, **kw: (a, k, kw),
          'pos': lambda a, b=2, /, c=3: a,
      }
      sorted(items, key=lambda item: (item[1], -item[0]))
    `,
  },
  {
    name: 'statements after a multi-line string',
    source: 'x = """a\nb"""; y = 2\ndef f():\n    """Docstring.\n\n    More.\n    """\n    return 1\n',
  },
  {
    name: 'a continuation inside an indented block',
    source: 'if x:\n    a = 1 + \\\n        2\n    b = 3\n',
  },
];
