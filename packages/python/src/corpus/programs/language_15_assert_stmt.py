try:
    assert 1 == 2, 'math broke'
except AssertionError as e:
    print('AssertionError', e)
try:
    assert False
except AssertionError as e:
    print('empty', repr(e))
assert True
print('ok')
