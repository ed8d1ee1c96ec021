"""What CPython's format(), `%` and str.format make of each case, for the tests of vm/format.ts.

Reads a JSON list of cases on stdin, each {"name", "op", ...}:
  op "format":  {"value", "spec"}            -> format(value, spec)
  op "percent": {"template", "operand"}      -> template % operand
  op "str.format": {"template", "args", "kwargs"} -> template.format(*args, **kwargs)
Values are encoded as {"int": "digits"}, {"float": "repr"}, {"str": s}, {"bool": b}, {"none": 0},
{"list": [...]}, {"tuple": [...]}, {"dict": [[key, value], ...]}. Prints, per name,
{"ok": text} or {"error": [exception name, message]}.
"""
import json
import sys


def decode(v):
    (kind, x), = v.items()
    if kind == "int":
        return int(x)
    if kind == "float":
        return float(x)
    if kind == "str":
        return x
    if kind == "bool":
        return bool(x)
    if kind == "none":
        return None
    if kind == "list":
        return [decode(i) for i in x]
    if kind == "tuple":
        return tuple(decode(i) for i in x)
    if kind == "dict":
        return {decode(k): decode(i) for k, i in x}
    raise ValueError(kind)


results = {}
for case in json.load(sys.stdin):
    try:
        if case["op"] == "format":
            out = format(decode(case["value"]), case["spec"])
        elif case["op"] == "percent":
            out = case["template"] % decode(case["operand"])
        else:
            args = [decode(a) for a in case["args"]]
            kwargs = {k: decode(v) for k, v in case["kwargs"]}
            out = case["template"].format(*args, **kwargs)
        results[case["name"]] = {"ok": out}
    except Exception as e:  # noqa: BLE001 - the error is the answer
        results[case["name"]] = {"error": [type(e).__name__, str(e)]}
json.dump(results, sys.stdout)
