"""The SyntaxError CPython raises for each source, and the lines python3 prints for it.

Reads a JSON list of {"name", "source"} on stdin and prints a JSON object mapping each name to
the error's type, msg, lineno, offset, end_lineno, end_offset and text, the block the default
excepthook writes to stderr (what `python3 lesson.py` shows), and whether ast.parse raises the
same error as compile(): the parser's errors do, the compiler's (a `return` outside a function)
do not. A case with "fields" instead of "source" is a SyntaxError made from them, only printed.
Sources are compiled from strings, in an empty directory, so that CPython cannot find a
lesson.py on disk to quote from.
"""
import ast
import io
import json
import os
import sys
import tempfile


def describe(error):
    error.__traceback__ = None
    stderr, sys.stderr = sys.stderr, io.StringIO()
    try:
        sys.__excepthook__(type(error), error, None)
        printed = sys.stderr.getvalue()
    finally:
        sys.stderr = stderr
    return {
        "name": type(error).__name__,
        "msg": error.msg,
        "lineno": error.lineno,
        "offset": error.offset,
        "end_lineno": error.end_lineno,
        "end_offset": error.end_offset,
        "text": error.text,
        "printed": printed,
    }


def first_error(parse, source):
    try:
        parse(source)
    except SyntaxError as error:
        return describe(error)
    return None


os.chdir(tempfile.mkdtemp())
results = {}
for case in json.load(sys.stdin):
    if "fields" in case:
        # A SyntaxError made from given fields, to see how CPython prints it.
        f = case["fields"]
        error_type = {"SyntaxError": SyntaxError, "IndentationError": IndentationError, "TabError": TabError}[f["name"]]
        error = error_type(f["msg"], (f["filename"], f["lineno"], f["offset"], f["text"], f["end_lineno"], f["end_offset"]))
        results[case["name"]] = {"printed": describe(error)["printed"]}
        continue
    source = case["source"]
    compiled = first_error(lambda s: compile(s, "lesson.py", "exec"), source)
    parsed = first_error(lambda s: ast.parse(s, filename="lesson.py"), source)
    results[case["name"]] = {"compile": compiled, "parserRaisesIt": compiled is not None and compiled == parsed}
json.dump(results, sys.stdout)
