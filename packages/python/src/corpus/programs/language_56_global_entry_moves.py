# Global loads and stores find their entry in the module dict through a position they keep from
# the last use. Deleting and re-creating globals moves the entries about (a dict squeezes out its
# holes once they outnumber the entries); every load and store must still see the live binding.
import sys

for i in range(30):
    globals()[f'early{i}'] = i  # entries before counter's, deleted below to move it down
counter = 0


def bump():
    global counter
    counter += 1
    return counter


def churn(n):
    for i in range(n):
        globals()[f'tmp{i}'] = i
    for i in range(n):
        del globals()[f'tmp{i}']
    if f'early{n - 40}' in globals():
        del globals()[f'early{n - 40}']


for round_ in range(5):
    before = bump()
    churn(40 + round_)
    after = bump()
    print(round_, before, after, counter)
for i in range(30):
    globals().pop(f'early{i}', None)
print(bump(), sorted(k for k in globals() if k.startswith('early')))

del counter
try:
    bump()
except NameError as error:
    print('NameError:', error)
counter = 100
print(bump(), counter)

# A global shadowing a builtin, then removed: the load falls back to the builtin again.
def length(x):
    return len(x)


print(length('abc'))
len = lambda x: -1
print(length('abc'))
del len
print(length('abc'))

# The same key under a str object made at run time rather than the interned name.
name = ''.join(['coun', 'ter'])
globals()[name] = 7
print(bump(), globals()[name], sys.intern(name) is name)
