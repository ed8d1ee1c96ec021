# interp-hot-loop: N iterations of integer arithmetic with a small allocation (a 2-tuple,
# dropped by the next iteration), with the cyclic gc enabled (GC = True) or after
# gc.disable() (GC = False). The runner binds N and GC.
import gc
if GC:
    gc.enable()
else:
    gc.disable()
total = 0
for i in range(N):
    total += i * 2
    t = (i, i)
gc.enable()
assert total == N * (N - 1)
