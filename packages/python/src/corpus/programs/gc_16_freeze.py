import gc
gc.collect()
print(gc.get_freeze_count() == 0)
gc.freeze()
print(gc.get_freeze_count() > 0)
gc.unfreeze()
print(gc.get_freeze_count())
gc.collect()
print('ok')

print('end', 0)
