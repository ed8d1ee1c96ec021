import weakref
value = b'x'
try:
    weakref.ref(value)
except TypeError as e:
    print(type(e).__name__, e)
else:
    print('weakref ok')
print(type(value).__name__)

print('end', 0)
