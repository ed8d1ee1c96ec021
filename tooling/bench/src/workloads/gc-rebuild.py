"""gc-rebuild: gc-live-scan's tree (N/2 Nodes) built, collected and freed REBUILDS times.

The same program as gc-rebuild.ts: one interpreter, the tree of gc-live-scan.py built with
gc disabled, one timed gc.collect() that frees nothing, the tree dropped; the last build's
collection is reported, per object.
"""
import importlib.util
import os

REBUILDS = 5

_spec = importlib.util.spec_from_file_location('gc_live_scan', os.path.join(os.path.dirname(__file__), 'gc-live-scan.py'))
_live = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_live)


def run(n):
    ns = 0
    for _ in range(REBUILDS):
        ns = _live.collect_live_tree(n)
    return {f'gc-live-scan (build {REBUILDS} of one heap)': ns / n}
