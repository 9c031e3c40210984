"""numfuse.ndarray as a Dask chunk type.

Dask hands an operation to an operand it does not know (NEP 13: `dask_array + nf_array` returns
NotImplemented from Dask's side) unless the operand's type is registered with
`dask.array.register_chunk_type`. numfuse registers its ndarray when `dask.array` is imported,
before or after numfuse, without importing Dask itself (importing it costs ~0.3 s): a one-shot
import hook runs the registration right after Dask's `dask.array.chunk_types` module loads.
"""
import importlib.machinery
import sys

_CHUNK_TYPES = "dask.array.chunk_types"


def _register(chunk_types):
    from ._core import ndarray

    if not chunk_types.is_valid_chunk_type(ndarray):
        chunk_types.register_chunk_type(ndarray)


class _RegisterOnImport:
    """A meta path finder that only watches for Dask's chunk_types module and registers numfuse's
    ndarray once that module has run; the module itself is found and loaded as usual."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != _CHUNK_TYPES:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            _register(module)

        spec.loader.exec_module = exec_module
        return spec


def install():
    chunk_types = sys.modules.get(_CHUNK_TYPES)
    if chunk_types is not None:
        _register(chunk_types)
    elif not any(isinstance(f, _RegisterOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _RegisterOnImport())
