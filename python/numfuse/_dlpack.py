"""nf.from_dlpack: zero-copy import of any DLPack producer (NumPy, PyTorch, JAX, numfuse).

The export side (ndarray.__dlpack__ / __dlpack_device__) and the capsule handling live in C++
(python/src/bind_dlpack.cpp); this file speaks the Python half of the protocol: ask the producer
for the newest struct we understand, fall back for producers that predate max_version.
"""
from . import _core

__all__ = ["from_dlpack"]

_CPU = 1
_MAX_VERSION = (1, 0)


def _check_device(device):
    if device is None or device == "cpu" or device == (_CPU, 0):
        return
    raise ValueError(f'Device not understood. Only "cpu" is allowed, but received: {device}')


def from_dlpack(x, /, *, device=None, copy=None):
    """A numfuse array over the memory of `x`, any object with ``__dlpack__``.

    No copy is made unless ``copy=True``; the producer stays alive as long as the result (or
    any view of it) does. Read-only producers give read-only arrays.
    """
    _check_device(device)
    if not hasattr(x, "__dlpack__"):
        # NumPy raises AttributeError here too; say what is missing.
        raise AttributeError(f"'{type(x).__name__}' object has no attribute '__dlpack__' "
                             "(from_dlpack needs a DLPack producer)")
    # Tensors on other devices are refused (BufferError) when the capsule is read in C++.
    kwargs = {"max_version": _MAX_VERSION}
    if copy is not None:
        kwargs["copy"] = copy
    if device is not None:
        kwargs["dl_device"] = (_CPU, 0)
    try:
        capsule = x.__dlpack__(**kwargs)
    except TypeError:
        # A producer older than DLPack 1.0 knows none of these keywords.
        if copy is False or device is not None:
            raise
        capsule = x.__dlpack__()
        out = _core._from_dlpack_capsule(capsule)
        return out.copy() if copy else out
    return _core._from_dlpack_capsule(capsule)
