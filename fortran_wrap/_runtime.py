"""Python-side helpers the generated extension modules call (views of Fortran memory)."""
import numpy as np

import numfuse as nf


def view(mem, dtype, shape):
    """A numfuse array over Fortran memory (a memoryview), Fortran-ordered, no copy."""
    return nf.asarray(np.frombuffer(mem, dtype=dtype).reshape(shape, order="F"))


def assign(target, value):
    """Writes `value` (broadcast) into the Fortran memory behind `target`."""
    np.asarray(target)[...] = np.asarray(value)
    return None


def prepare(value, dtype, rank):
    """The array an allocatable module variable is set from: its shape sizes the allocation."""
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim != rank:
        raise ValueError(f"expected an array of rank {rank}, got rank {arr.ndim}")
    return arr
