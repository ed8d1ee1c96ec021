# interp-listcomp: N // 1000 list comprehensions of 1000 items each, each list dropped at once
# (N = 1,000,000: `for _ in range(1000): [x for x in range(1000)]`). The runner binds N.
for _ in range(N // 1000): [x for x in range(1000)]
