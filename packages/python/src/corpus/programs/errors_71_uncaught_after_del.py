class R:
    def __del__(self):
        print('R del')
r = R()
print('r made')
raise TypeError('bad type here')
# filler line 0
# filler line 1
# filler line 2
# filler line 3
# filler line 4
# filler line 5
