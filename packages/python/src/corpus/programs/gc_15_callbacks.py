import gc
gc.disable()
events = []
def cb(phase, info):
    events.append((phase, info['generation']))
gc.callbacks.append(cb)
gc.collect()
gc.collect(1)
gc.callbacks.remove(cb)
gc.collect()
print(events)
print(len(gc.callbacks))
