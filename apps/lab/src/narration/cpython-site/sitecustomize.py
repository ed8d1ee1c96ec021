"""The python3 side of a scenario's checks, loaded at startup (PYTHONPATH=this folder).

The scenario's program then runs as the real `python3 file.py`, nothing wrapped around it,
so its constants and counts are exactly a file's. This module reads the steps from the JSON
file named by LAB_FACTS_SPEC ({"lastLines": [...], "facts": [[{"key", "expr"}...]...]}),
watches the __main__ module's frame with a line tracer, and when that frame is about to run
a line past a step's last line — or the module has returned — evaluates the step's
fact expressions in __main__, as the lab's runner does on refheap-python. Answers go to the
JSON file named by LAB_FACTS_OUT.
"""
import atexit
import json
import os
import sys

_spec_path = os.environ.get("LAB_FACTS_SPEC")

if _spec_path:
    with open(_spec_path) as _f:
        _spec = json.load(_f)
    _program = _spec["program"]  # exactly as python3's command line names it, so co_filename equals it
    _last_lines = _spec["lastLines"]
    # Compiled now, before the program starts: compiling allocates tuples the collector counts.
    _facts = [[(f["key"], compile(f["expr"], "<lab>", "eval")) for f in step] for step in _spec["facts"]]
    _answers = {}
    _errors = {}
    _state = {"next": 0, "error": None, "raising": False}

    def _plain(value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, (list, tuple)) and all(
            v is None or isinstance(v, (bool, int, float, str)) for v in value
        ):
            return list(value)
        return repr(value)

    class _Tee:
        """sys.stdout, remembering what each step printed (the program's objects are untouched)."""

        def __init__(self, stream):
            self._stream = stream
            self.text = []

        def write(self, text):
            self.text.append(text)
            return self._stream.write(text)

        def __getattr__(self, name):
            return getattr(self._stream, name)

    _out = _Tee(sys.stdout)
    sys.stdout = _out

    def _finish(index, g):
        _answers[f"printed.{index + 1}"] = json.dumps("".join(_out.text))
        _out.text.clear()
        for key, code in _facts[index]:
            try:
                value = eval(code, g)
                _answers[key] = json.dumps(_plain(value))  # a str: nothing the collector counts stays behind
            except BaseException as error:  # reported, as the lab reports it
                _errors[key] = f"{type(error).__name__}: {error}"
            value = None

    def _tracer(frame, event, arg):
        # Called on every line of the module: it allocates nothing. CPython's line tracing itself
        # still moves gc.get_count() a little (by 28 over a 20,000-iteration loop at module level,
        # even with a tracer that only returns itself), so the scenarios whose collection counts
        # are checked make their batches in comprehensions, whose lines are not traced.
        code = frame.f_code
        if code.co_filename != _program or code.co_name != "<module>":
            return None
        if event == "line":
            _state["raising"] = False
            while _state["next"] < len(_last_lines) and frame.f_lineno > _last_lines[_state["next"]]:
                _state["next"] += 1
                _finish(_state["next"] - 1, frame.f_globals)
        elif event == "exception":
            _state["raising"] = True  # cleared by the next line event if a handler caught it
        elif event == "return" and not _state["raising"]:
            # The module ran to its end: the last steps are observed now, before any atexit
            # handler of the program's (weakref.finalize's, say) has run.
            while _state["next"] < len(_last_lines):
                _state["next"] += 1
                _finish(_state["next"] - 1, frame.f_globals)
        return _tracer

    _excepthook = sys.excepthook

    def _hook(kind, value, tb):
        _state["error"] = f"{kind.__name__}: {value}"
        _excepthook(kind, value, tb)

    def _at_exit():
        sys.settrace(None)
        sys.stdout.flush()
        with open(os.environ["LAB_FACTS_OUT"], "w") as out:
            answers = {key: json.loads(text) for key, text in _answers.items()}
            json.dump({"answers": answers, "errors": _errors, "error": _state["error"]}, out)

    sys.excepthook = _hook
    atexit.register(_at_exit)
    sys.settrace(_tracer)
