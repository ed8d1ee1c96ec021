try:
    {}['k']
except KeyError as e:
    raise LookupError('wrapped') from e
# filler line 0
# filler line 1
# filler line 2
# filler line 3
# filler line 4
# filler line 5
