d = {'b': 2, 'a': 1}
d['c'] = 3
print(d, list(d), list(d.values()), list(d.items()))
print(d.get('z'), d.get('z', 0), d.setdefault('e', 5))
print(d.pop('b'), d)
d.update({'a': 10}, f=6)
print(d)
print(d.popitem(), len(d))
print(dict.fromkeys('xy', 0))
print('a' in d, sorted(d, key=lambda k: -d[k]))
