def inner():
    yield 1
    yield 2
    return 'inner done'
def outer():
    r = yield from inner()
    print('got', r)
    yield 3
print(list(outer()))
def countdown(n):
    while n:
        yield n
        n -= 1
print(list(countdown(4)), sum(countdown(10)))
