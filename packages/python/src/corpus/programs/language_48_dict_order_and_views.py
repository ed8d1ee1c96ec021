d = {}
for k in 'zyx':
    d[k] = len(d)
print(d)
keys = d.keys()
d['w'] = 9
print(keys, list(d.items())[0])
del d['y']
print(list(d))
print({'a': 1} == {'a': 1}, {'a': 1} | {'b': 2})
