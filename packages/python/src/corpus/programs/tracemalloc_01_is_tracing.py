import tracemalloc
print(tracemalloc.is_tracing())
tracemalloc.start()
print(tracemalloc.is_tracing())
data = [bytearray(1000) for _ in range(100)]
snap = tracemalloc.take_snapshot()
stats = snap.statistics('lineno')
top = stats[0]
print(top.traceback[0].filename.endswith('tracemalloc_01_is_tracing.py'))
print(top.traceback[0].lineno)
tracemalloc.stop()
print(tracemalloc.is_tracing())
