try:
    try:
        {}['k']
    except KeyError as e:
        raise ValueError('bad') from e
except ValueError as e:
    print(type(e).__name__, e)
    print(type(e.__cause__).__name__, e.__cause__)
    print(e.__suppress_context__)
try:
    raise RuntimeError('x') from None
except RuntimeError as e:
    print(e.__cause__, e.__suppress_context__)
