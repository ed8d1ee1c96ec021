import gc
print(gc.get_threshold())
gc.set_threshold(1000, 15, 15)
print(gc.get_threshold())
stats = gc.get_stats()
print(len(stats))
for i, gen in enumerate(stats):
    print(i, sorted(gen.keys()), type(gen['collections']).__name__)
before = gc.get_stats()[2]['collections']
gc.collect()
print(gc.get_stats()[2]['collections'] - before)
gc.set_threshold(700, 10, 10)
print(gc.get_threshold())
