"""A short tour of what numfuse does today. Run with `make demo`."""
import numpy as np

import numfuse as nf


def show(label, value):
    print(f"{label:<38} {value}")


print(f"numfuse {nf.__version__}\n")
a = nf.arange(12.0).reshape(3, 4)
show("a = nf.arange(12.0).reshape(3, 4)", "")
print(a, "\n")
show("a[::-1, 1::2]  (a view)", "")
print(a[::-1, 1::2], "\n")
show("a.T.shape, a.T.strides", (a.T.shape, a.T.strides))

n = np.arange(6, dtype=np.int32)
w = nf.asarray(n)
w[0] = 100
show("nf.asarray(numpy) shares memory", f"numpy now sees {n[:3]}")
back = np.asarray(w)
show("np.asarray(nf) shares memory", np.shares_memory(back, n))

big = nf.zeros((1000, 1000))
del big
stats = nf.memory_stats()
show("pooled bytes after freeing 8 MB", stats["bytes_pooled"])
again = nf.zeros((1000, 1000))
show("pool hits after reallocating it", nf.memory_stats()["pool_hits"] - stats["pool_hits"])
