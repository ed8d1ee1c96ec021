data = [('b', 2), ('a', 2), ('c', 1), ('d', 3), ('e', 1)]
print(sorted(data, key=lambda t: t[1]))
print(sorted(data, key=lambda t: t[1], reverse=True))
print(sorted(data))
words = ['Banana', 'apple', 'cherry']
print(sorted(words), sorted(words, key=str.lower))
l = [5, 2, 9]
l.sort(key=lambda x: -x)
print(l)

print('end', 0)
