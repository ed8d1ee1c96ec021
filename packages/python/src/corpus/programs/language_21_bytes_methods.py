b = b'hello'
print(b, b[0], b[1:3], len(b))
print(b.upper(), b.hex(), bytes.fromhex('4142'))
ba = bytearray(b'abc')
ba.append(100)
ba[0] = 65
print(ba, bytes(ba))
print(b'a,b'.split(b','))
print(list(b'xyz'))
print(bytes(3), bytes([1, 2]))
