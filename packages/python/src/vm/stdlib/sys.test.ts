/**
 * sys, time, linecache and contextlib against python3: each snippet's stdout from refheap-python
 * must equal CPython 3.11's. (The twin runs snippets under exec with stdout redirected, so the
 * snippets do not ask whether sys.stdout is sys.__stdout__.)
 */
import { describe, expect, test } from 'vitest';
import { Python } from '../../index.ts';
import { compareWithCPython, py } from '../../test-support/snippets.ts';

const SHOW = py`
    import sys
    def t(f):
        try: print(repr(f()))
        except BaseException as e: print(type(e).__name__+':', e)
`;

const checked = (name: string, body: string): { name: string; source: string } => ({ name, source: `${SHOW}\n${body}\n` });

compareWithCPython('the sys module', [
  checked('reference counts and sizes', py`
    a = []
    print(sys.getrefcount(a))
    b = a
    print(sys.getrefcount(a))
    def f(x): return sys.getrefcount(x)
    print(f(a))
    d = {'k': a}
    print(sys.getrefcount(a))
    del b, d
    print(sys.getrefcount(a))
    print([sys.getsizeof(x) for x in (0, 1, 2**30, 2**60, True, False, 1.0, '', 'a', 'é', '€', '😀', b'', b'ab', bytearray(), bytearray(b'abc'), (), (1,), [], [1,2,3], {}, {'a':1}, set(), {1}, None, frozenset(), set(range(5)), dict(a=1,b=2,c=3,d=4,e=5,f=6), {1: 2})])
    class C: pass
    class S:
        __slots__ = ('a', 'b')
    class Z:
        def __sizeof__(self): return 100
    print(sys.getsizeof(C()), sys.getsizeof(S()), sys.getsizeof(Z()), sys.getsizeof(1, 2), sys.getsizeof(range(3)), sys.getsizeof(lambda: 0))
    t(lambda: sys.getsizeof()); t(lambda: sys.getrefcount())
  `),
  checked('the recursion limit', py`
    print(sys.getrecursionlimit())
    sys.setrecursionlimit(500)
    print(sys.getrecursionlimit())
    t(lambda: sys.setrecursionlimit(0)); t(lambda: sys.setrecursionlimit('a')); t(lambda: sys.setrecursionlimit(-5)); t(lambda: sys.setrecursionlimit(10**10))
    sys.setrecursionlimit(1000)
    def deep(n): return 0 if n == 0 else 1 + deep(n - 1)
    print(deep(400))
    try: deep(5000)
    except RecursionError as e: print('RecursionError', e)
  `),
  checked('intern, exc_info and the interpreter', py`
    t(lambda: sys.intern(1)); t(lambda: sys.intern())
    s = sys.intern('hello world'); print(s is sys.intern('hello world'))
    print(sys.exc_info(), sys.exception())
    try:
        raise ValueError('boom')
    except ValueError:
        tp, v, tb = sys.exc_info()
        print(tp.__name__, v, type(tb).__name__, sys.exception() is v)
    print(sys.exc_info())
    print(sys.version_info[:2], sys.version_info >= (3, 8), sys.version_info.major, sys.version_info.minor, sys.version_info < (4,), tuple(sys.version_info)[:3])
    print(sys.platform, sys.maxsize, sys.byteorder, sys.implementation.name, sys.float_info.max, sys.float_info.epsilon, sys.float_info.dig, sys.flags.optimize, sys.maxsize == 2**63 - 1)
    print(type(sys.modules).__name__, 'sys' in sys.modules, type(sys.argv).__name__, type(sys.path).__name__)
  `),
  checked('sys.modules and __import__', py`
    import sys
    import gc
    print('gc' in sys.modules, sys.modules['gc'] is gc, sys.modules['sys'] is sys, '__main__' in sys.modules, 'builtins' in sys.modules)
    t = __import__('time')
    print(t.__name__, __import__('sys') is sys)
    try: __import__('nosuchmodule')
    except ImportError as e: print(type(e).__name__, e)
    try: __import__('')
    except ValueError as e: print(e)
  `),
  checked('streams and frames', py`
    sys.stdout.write('written\n')
    print(sys.stdout.write('abc'))
    sys.stdout.flush()
    print('out', file=sys.stdout)
    def frames():
        fr = sys._getframe()
        return fr.f_code.co_name if hasattr(fr, 'f_code') else 'frames', sys._getframe(1).f_lineno > 0
    print(frames())
    t(lambda: sys._getframe(100))
    old = sys.stdout
    class Cap:
        def __init__(self): self.data = []
        def write(self, s): self.data.append(s); return len(s)
        def flush(self): pass
    cap = Cap()
    sys.stdout = cap
    print('captured', 1)
    sys.stdout = old
    print(cap.data)
    print(sys.gettrace())
  `),
  checked('time, linecache and settrace', py`
    import time, linecache
    t0 = time.perf_counter(); t1 = time.perf_counter()
    print(t1 >= t0, type(time.time()).__name__, type(time.time_ns()).__name__, time.monotonic() <= time.monotonic(), time.sleep(0))
    t(lambda: time.sleep(-1)); t(lambda: time.sleep('a'))
    print(repr(linecache.getline('nope.py', 1)), linecache.getlines('nope.py'))
    events = []
    def local(frame, event, arg):
        events.append((event, frame.f_lineno))
        return local
    def tracer(frame, event, arg):
        events.append((event, frame.f_lineno))
        return local
    def traced(n):
        a = n + 1
        b = a * 2
        return b
    sys.settrace(tracer)
    traced(1)
    sys.settrace(None)
    print([e for e in events if e[0] != 'return'])
    print(sys.gettrace())
  `),
]);

compareWithCPython('settrace events', [
  {
    name: 'call, line and return events',
    source: py`
      import sys
      events = []
      def tracer(frame, event, arg):
          events.append((event, frame.f_lineno))
          return tracer
      def traced(n):
          a = n + 1
          return a
      sys.settrace(tracer)
      traced(1)
      sys.settrace(None)
      print(events)
    `,
  },
  {
    name: 'return events carry the result, per frame of a recursion; a frame whose call event is declined gets none',
    source: py`
      import sys
      events = []
      def tracer(frame, event, arg):
          events.append((event, frame.f_lineno, arg if event == 'return' else None))
          return None if 'quiet_marker' in frame.f_locals else tracer
      def fact(n):
          if n <= 1:
              return 1
          return n * fact(n - 1)
      def pair(a):
          b = [a]
          return (a, b)
      def quiet(quiet_marker=1):
          x = 2
          return x
      sys.settrace(tracer)
      fact(3)
      pair('p')
      quiet()
      sys.settrace(None)
      fact(2)
      for e in events:
          print(e)
    `,
  },
  {
    name: "exception events where an exception arrives in a frame, the except lines tested, and the with line before __exit__",
    source: py`
      import sys
      events = []
      def tracer(frame, event, arg):
          if event == 'exception':
              arg = (arg[0].__name__, str(arg[1]), type(arg[2]).__name__)
          elif event != 'return':
              arg = None
          elif not isinstance(arg, (int, str, type(None))):
              arg = type(arg).__name__
          events.append((event, frame.f_lineno, arg))
          return tracer
      class Quiet:
          def __enter__(self):
              return self
          def __exit__(self, *info):
              return True
      def boom():
          raise ValueError('no')
      def catches():
          try:
              boom()
          except KeyError:
              return 'key'
          except ValueError:
              return 'caught'
      def nested():
          try:
              try:
                  int('x')
              finally:
                  pass
          except ValueError as e:
              pass
          with Quiet():
              raise KeyError('k')
          with Quiet():
              x = 1
          return x
      def escapes():
          boom()
      sys.settrace(tracer)
      catches()
      nested()
      try:
          escapes()
      except ValueError:
          pass
      sys.settrace(None)
      for e in events:
          print(e)
    `,
  },
]);

compareWithCPython('contextlib', [
  { name: 'contextmanager, suppress, closing, nullcontext, redirect_stdout, ExitStack', source: py`
    from contextlib import contextmanager, suppress, closing, nullcontext, redirect_stdout, ExitStack
    import contextlib
    @contextmanager
    def tag(name):
        print('<' + name + '>')
        try:
            yield name.upper()
        finally:
            print('</' + name + '>')
    with tag('a') as v:
        print('inside', v)
    try:
        with tag('b'):
            raise ValueError('x')
    except ValueError as e:
        print('caught', e)
    @contextmanager
    def swallow():
        try:
            yield
        except KeyError as e:
            print('swallowed', repr(e))
    with swallow():
        raise KeyError('k')
    print('after swallow')
    @contextmanager
    def noyield():
        if False:
            yield
    try:
        with noyield(): pass
    except RuntimeError as e:
        print('RuntimeError', e)
    @contextmanager
    def twice():
        yield 1
        yield 2
    try:
        with twice(): pass
    except RuntimeError as e:
        print('RuntimeError', e)
    @contextmanager
    def stopper():
        yield
    try:
        with stopper():
            raise StopIteration('s')
    except StopIteration as e:
        print('StopIteration passes', e)
    @contextmanager
    def ignore_after_throw():
        try:
            yield
        except ZeroDivisionError:
            yield
    try:
        with ignore_after_throw():
            1/0
    except RuntimeError as e:
        print('RuntimeError', e)
    with suppress(ZeroDivisionError, KeyError):
        1/0
    print('suppressed')
    try:
        with suppress(KeyError):
            1/0
    except ZeroDivisionError:
        print('not suppressed')
    class Thing:
        def close(self): print('closed')
    with closing(Thing()) as t:
        print(type(t).__name__)
    with nullcontext(5) as n:
        print(n)
    class Buf:
        def __init__(self): self.parts = []
        def write(self, s): self.parts.append(s)
    b = Buf()
    with redirect_stdout(b):
        print('hidden', 1)
    print(b.parts)
    with ExitStack() as stack:
        stack.callback(print, 'cb1')
        stack.callback(print, 'cb2')
        x = stack.enter_context(tag('es'))
        print('in stack', x)
    @tag('deco')
    def decorated():
        print('body')
    decorated()
    @contextmanager
    def value_cm():
        yield 1
    cm = value_cm()
    print(type(cm).__name__, cm.__enter__(), cm.__exit__(None, None, None))
  ` },
]);

describe('sys and linecache on refheap-python alone', () => {
  test('linecache reads the source the program was run from', () => {
    const result = new Python().run(py`
      import linecache
      print(repr(linecache.getline('lesson.py', 2)), repr(linecache.getline('lesson.py', 99)))
      print(len(linecache.getlines('lesson.py')))
    `, { filename: 'lesson.py' });
    expect(result.stdout).toBe(`"print(repr(linecache.getline('lesson.py', 2)), repr(linecache.getline('lesson.py', 99)))\\n" ''\n3\n`);
  });

  test('sys.stdout.write checks its argument as TextIOWrapper does', () => {
    const result = new Python().run(py`
      import sys
      try:
          sys.stdout.write(1)
      except TypeError as e:
          print(e)
      print(sys.stdout.write('ab'), sys.stdout is sys.__stdout__)
      sys.stderr.write('to stderr\n')
      print('err', 1, file=sys.stderr)
    `, { filename: 'write.py' });
    expect(result.stdout).toBe('write() argument must be str, not int\nab2 True\n');
    expect(result.stderr).toBe('to stderr\nerr 1\n');
  });

  test('setrecursionlimit sets the limit the program asked for', () => {
    const python = new Python();
    const result = python.run(py`
      import sys
      sys.setrecursionlimit(100000)
      print(sys.getrecursionlimit())
    `, { filename: 'limit.py' });
    expect(result.stdout).toBe('100000\n');
    expect(python.vm.recursionLimit).toBe(100000);
  });

  test('a recursion deeper than the JS stack allows is a RecursionError, not a JS stack overflow', () => {
    const result = new Python().run(py`
      import sys
      sys.setrecursionlimit(100000)
      def deep(n):
          return 0 if n == 0 else 1 + deep(n - 1)
      try:
          deep(50000)
      except RecursionError as e:
          print('RecursionError', e)
      print(deep(100))
    `, { filename: 'deep.py' });
    expect(result.stdout).toBe('RecursionError maximum recursion depth exceeded\n100\n');
  });
});
