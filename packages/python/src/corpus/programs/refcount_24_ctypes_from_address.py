import ctypes
def rc(obj_id):
    return ctypes.c_long.from_address(obj_id).value
my_list = [1, 2, 3]
i = id(my_list)
print(rc(i))
other = my_list
print(rc(i))
holder = [my_list]
print(rc(i))
del other
print(rc(i))
holder.clear()
print(rc(i))
