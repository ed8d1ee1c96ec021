"""interp-hot-loop: programs/hot-loop.py run in python3, with gc on and after gc.disable().

The same source refheap-python runs; time per iteration (interp_program.py says how it is timed).
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interp_program import time_program  # noqa: E402


def run(n):
    return {
        'interp-hot-loop (gc on)': time_program('hot-loop.py', {'N': n, 'GC': True}) / n,
        'interp-hot-loop (gc off)': time_program('hot-loop.py', {'N': n, 'GC': False}) / n,
    }
