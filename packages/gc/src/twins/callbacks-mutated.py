# gc.callbacks changed by its own callbacks during a collection: CPython walks the live list by
# index, so one removed at 'start' shifts the next past the walk, and one appended is called at
# once. Prints JSON: each call as "name:phase", in order.
import gc
import json

calls = []


def a(phase, info):
    calls.append(f"a:{phase}")
    if phase == "start":
        gc.callbacks.remove(a)


def b(phase, info):
    calls.append(f"b:{phase}")


def c(phase, info):
    calls.append(f"c:{phase}")
    if phase == "start" and d not in gc.callbacks:
        gc.callbacks.append(d)


def d(phase, info):
    calls.append(f"d:{phase}")


gc.callbacks[:] = [a, b, c]
gc.collect()
gc.callbacks.clear()
print(json.dumps(calls))
