"""The lazy engine's controls: forcing evaluation, statistics, threads.

Elementwise ops on numfuse arrays record a graph instead of running; the graph runs, fused into
one pass per group, when a value is observed (printing, conversion to NumPy, float(), a write
into an input, ...) or when `eval` is called.
"""
from . import _core
from ._core import ndarray

__all__ = ["eval", "jit_stats", "reset_jit_stats", "set_num_threads", "get_num_threads",
           "set_lazy", "is_lazy"]

eval = _core.eval  # noqa: A001  (nf.eval, NumPy-style namespace function)
jit_stats = _core.jit_stats
reset_jit_stats = _core.reset_jit_stats
set_num_threads = _core.set_num_threads
get_num_threads = _core.get_num_threads
set_lazy = _core.set_lazy
is_lazy = _core.is_lazy


def _eval_method(self):
    """Computes this array now if it is pending; returns self."""
    _core.eval(self)
    return self


ndarray.eval = _eval_method
