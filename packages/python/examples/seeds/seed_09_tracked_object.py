import weakref
class TrackedObject:
    _instances = []
    def __init__(self, name):
        self.name = name
        self._instances.append(weakref.ref(self))
    @classmethod
    def get_live_instances(cls):
        return [ref() for ref in cls._instances if ref() is not None]
    def __repr__(self):
        return f'TrackedObject({self.name!r})'
a = TrackedObject('a')
b = TrackedObject('b')
c = TrackedObject('c')
print(TrackedObject.get_live_instances())
del b
print(TrackedObject.get_live_instances())
a = None
print(TrackedObject.get_live_instances())
print(len(TrackedObject._instances))
