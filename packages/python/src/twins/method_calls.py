"""repr of `receiver.method(*args)` for each case, for the direct tests of the str and bytes
natives. Reads a JSON list of {"name", "receiver", "method", "args"} on stdin, values encoded as
{"s": text}, {"i": int}, {"f": float}, {"n": 0} (None), {"b": [bytes]}, {"ba": [bytes]} (bytearray),
{"t": [...]}, {"l": [...]}, {"d": [[k, v], ...]}, {"sl": [start, stop, step]}. Prints, per name, the result's repr, or
"Name: message" for an exception.
"""
import json
import sys


def decode(v):
    (kind, x), = v.items()
    return {
        "s": lambda: x, "i": lambda: int(x), "f": lambda: float(x), "n": lambda: None,
        "b": lambda: bytes(x), "ba": lambda: bytearray(x),
        "t": lambda: tuple(decode(i) for i in x), "l": lambda: [decode(i) for i in x],
        "d": lambda: {decode(k): decode(i) for k, i in x},
        "sl": lambda: slice(*[decode(i) for i in x]),
    }[kind]()


results = {}
for case in json.load(sys.stdin):
    try:
        receiver = decode(case["receiver"])
        results[case["name"]] = repr(getattr(receiver, case["method"])(*[decode(a) for a in case["args"]]))
    except Exception as e:  # noqa: BLE001 - the error is the answer
        results[case["name"]] = f"{type(e).__name__}: {e}"
json.dump(results, sys.stdout)
