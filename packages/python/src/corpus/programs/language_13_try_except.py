def f(v):
    try:
        r = 10 / v
    except ZeroDivisionError as e:
        print('zero', e)
        return 'except'
    else:
        print('else', r)
        return 'else'
    finally:
        print('finally')
print(f(2))
print(f(0))
