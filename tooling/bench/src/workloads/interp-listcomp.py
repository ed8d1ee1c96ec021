"""interp-listcomp: programs/listcomp.py run in python3, the same source refheap-python runs.

N // 1000 comprehensions of 1000 items; time per item (interp_program.py says how it is timed).
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interp_program import time_program  # noqa: E402


def run(n):
    return {'interp-listcomp': time_program('listcomp.py', {'N': n}) / n}
