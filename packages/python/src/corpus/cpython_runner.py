"""Runs corpus programs under python3 and prints what each wrote: the twin of
differential.ts's runRefheap.

Reads a JSON list of program paths on stdin and prints a JSON object mapping each path to
{"stdout", "stderr", "exitCode"}. Each program gets its own `python3 file.py`, run from the
program's directory with its base name: one shared process would shift refcounts of module
globals, gc counts and collect() results left over from the previous program, and the point
of the corpus is that those numbers are exact. Two run at a time, to halve the wall time.
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def run(path):
    proc = subprocess.run(
        [sys.executable, os.path.basename(path)],
        cwd=os.path.dirname(os.path.abspath(path)),
        capture_output=True,
        text=True,
        # Fixed hash seed and no user site or bytecode files: the same run every time.
        env={"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
             "PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    return path, {"stdout": proc.stdout, "stderr": proc.stderr, "exitCode": proc.returncode}


paths = json.load(sys.stdin)
with ThreadPoolExecutor(max_workers=2) as pool:
    results = dict(pool.map(run, paths))
json.dump(results, sys.stdout)
