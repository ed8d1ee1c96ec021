# An index past Py_ssize_t cannot fit an index-sized integer: IndexError for a subscript,
# OverflowError for a repeat count; one inside Py_ssize_t is simply out of range.
big = 2 ** 70
cases = [
    lambda: [1][big],
    lambda: (1,)[-big],
    lambda: "ab"[2 ** 63],
    lambda: b"ab"[2 ** 64],
    lambda: [1] * big,
    lambda: [1][2 ** 62],
    lambda: [1, 2][2 ** 63 - 1],
]
for case in cases:
    try:
        case()
    except (IndexError, OverflowError) as error:
        print(type(error).__name__, error)
items = [1, 2]
try:
    items[big] = 3
except IndexError as error:
    print("assignment:", error)
