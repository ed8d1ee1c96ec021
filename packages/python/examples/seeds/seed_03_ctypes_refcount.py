import ctypes
my_list = [1, 2, 3]
my_list_address = id(my_list)
print(ctypes.c_long.from_address(my_list_address).value)
another = my_list
print(ctypes.c_long.from_address(my_list_address).value)
another = None
print(ctypes.c_long.from_address(my_list_address).value)

print('end', 0)
print('end', 1)
