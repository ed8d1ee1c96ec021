import tracemalloc
tracemalloc.start()
cur, peak = tracemalloc.get_traced_memory()
print(cur >= 0, peak >= cur)
blob = [list(range(100)) for _ in range(50)]
cur2, peak2 = tracemalloc.get_traced_memory()
print(cur2 > cur, peak2 >= cur2)
del blob
tracemalloc.stop()
print(tracemalloc.get_traced_memory())
