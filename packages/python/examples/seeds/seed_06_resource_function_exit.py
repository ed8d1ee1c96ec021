class Resource:
    def __init__(self, name):
        self.name = name
        print(f'Resource {self.name} created')
    def __del__(self):
        print(f'Resource {self.name} destroyed')
def create_resource():
    res = Resource('temp')
    print('Using resource')
create_resource()
print('Function finished')
r = Resource('kept')
r2 = r
del r
print('still referenced by r2')
del r2
print('done')
