"""Runs Python snippets and prints what each wrote to stdout, for tests that run the same
snippets on refheap-python. Reads a JSON list of {"name", "source"} on stdin; an exception that
escapes a snippet is written after its output as "<name>: <message>", the last line of a traceback.
"""
import contextlib
import io
import json
import sys

results = {}
for case in json.load(sys.stdin):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(case["source"], case["name"], "exec"), {"__name__": "__main__"})
        except Exception as e:  # noqa: BLE001 - the error is part of the answer
            print(f"{type(e).__name__}: {e}")
    results[case["name"]] = out.getvalue()
json.dump(results, sys.stdout)
