try:
    1 / 0
except ZeroDivisionError:
    raise ValueError('during handling')
# filler line 0
# filler line 1
# filler line 2
# filler line 3
# filler line 4
# filler line 5
