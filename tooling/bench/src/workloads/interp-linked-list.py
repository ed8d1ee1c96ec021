"""interp-linked-list: programs/linked-list.py run in python3, the same source refheap-python runs.

N __slots__ Nodes (N = 100,000 at the harness's 1,000,000) linked, then dropped; time per
node (interp_program.py says how it is timed).
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interp_program import time_program  # noqa: E402


def run(n):
    return {'interp-linked-list': time_program('linked-list.py', {'N': n}) / n}
