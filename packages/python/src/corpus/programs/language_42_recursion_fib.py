def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print([fib(i) for i in range(15)])
memo = {}
def fact(n):
    if n in memo:
        return memo[n]
    r = 1 if n <= 1 else n * fact(n - 1)
    memo[n] = r
    return r
print(fact(30))
print(len(memo))
