"""Advanced indexing (integer arrays, boolean masks), called by ndarray.__getitem__/__setitem__
when a key is not a basic index."""


def advanced_getitem(a, key):
    raise IndexError("advanced indexing is not implemented yet")


def advanced_setitem(a, key, value):
    raise IndexError("advanced indexing is not implemented yet")
