counter = 0
def inc():
    global counter
    counter += 1
inc(); inc()
print(counter)
def outer():
    x = 1
    def inner():
        nonlocal x
        x += 10
    inner()
    return x
print(outer())
