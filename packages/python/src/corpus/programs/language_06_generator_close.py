def gen():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print('GeneratorExit')
        raise
    finally:
        print('finally')
g = gen()
print(next(g))
g.close()
print('closed')
g.close()
print(list(gen()))
