"""The ast CPython builds for each source: the twin of refheap-python's parser.

Reads a JSON list of {"name", "source"} on stdin and prints a JSON object mapping each name
to {"ast": tree} or {"error": "..."}. A tree is every node's fields and position attributes:
{"_type": class name, field: value, ..., "lineno": ..., ...}. Operators and contexts, which
have no fields, are their class names; a Constant's value is tagged by type (see constant()).
"""
import ast
import json
import sys


def constant(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, complex):
        return {"complex": [repr(value.real), repr(value.imag)]}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if value is Ellipsis:
        return {"ellipsis": True}
    raise TypeError(f"unexpected constant {value!r}")


def dump(node):
    if isinstance(node, list):
        return [dump(item) for item in node]
    if not isinstance(node, ast.AST):
        return node
    if not node._fields and not node._attributes:
        return type(node).__name__
    out = {"_type": type(node).__name__}
    for field in node._fields:
        value = getattr(node, field, None)
        out[field] = constant(value) if isinstance(node, ast.Constant) and field == "value" else dump(value)
    for attribute in node._attributes:
        out[attribute] = getattr(node, attribute, None)
    return out


results = {}
for case in json.load(sys.stdin):
    try:
        results[case["name"]] = {"ast": dump(ast.parse(case["source"], filename="lesson.py"))}
    except SyntaxError as error:
        results[case["name"]] = {"error": f"{type(error).__name__}: {error}"}
json.dump(results, sys.stdout)
