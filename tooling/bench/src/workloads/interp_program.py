"""The CPython half of the interp-* workloads: runs a program of programs/ in python3.

The twin of interp.ts. The program's text is read from programs/NAME.py, the very file the
refheap half runs in refheap-python, after the same prelude (one `NAME = value` line per
name the runner binds, N first). It runs as module code, in one `__main__` namespace that
every repetition reuses (refheap-python reuses its `__main__` too). Timed with
perf_counter_ns around compile + exec (refheap's `py.run` parses and compiles too), minus
an empty program's compile + exec timed the same way right after: interpreter start-up is
outside the clock on both sides.
"""
import builtins
import os
import time

PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'programs')

# One __main__ per process, as refheap-python has one per interpreter.
NAMESPACE = {'__name__': '__main__', '__builtins__': builtins}


def literal(value):
    if isinstance(value, bool):
        return 'True' if value else 'False'
    if isinstance(value, int):
        return str(value)
    raise TypeError(f'no literal for {value!r}')


def source(program, names):
    """The prelude (`N = 1000000` and the rest) and the program's text, as interp.ts builds it."""
    with open(os.path.join(PROGRAMS, program), encoding='utf-8') as f:
        text = f.read()
    return ''.join(f'{name} = {literal(value)}\n' for name, value in names.items()) + text


def time_program(program, names):
    """Nanoseconds that running the program took, an empty program's run subtracted."""
    text = source(program, names)
    started = time.perf_counter_ns()
    exec(compile(text, program, 'exec'), NAMESPACE)
    ns = time.perf_counter_ns() - started
    started = time.perf_counter_ns()
    exec(compile('', program, 'exec'), NAMESPACE)
    empty = time.perf_counter_ns() - started
    return max(ns - empty, 1)
