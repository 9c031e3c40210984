"""diag and diagflat: a vector placed on a diagonal of a new square array, or a 2-D array's
diagonal (a view, as numfuse's diagonal gives)."""
import operator as _operator

from ._creation import asarray, zeros
from ._linalg_ops import diagonal

__all__ = ["diag", "diagflat"]


def _on_diagonal(v, k):
    """A new square array, zeros except `v` (1-D) on diagonal k."""
    k = _operator.index(k)
    n = v.shape[0] + abs(k)
    result = zeros((n, n), dtype=v.dtype)
    start = k if k >= 0 else -k * n
    # Diagonal k of the C-ordered result is every (n+1)-th element of its flat view.
    result.reshape(-1)[start:start + v.shape[0] * (n + 1):n + 1] = v
    return result


def diag(v, k=0):
    """The diagonal k of a 2-D array (a view), or a 2-D array with the 1-D `v` on diagonal k."""
    v = asarray(v)
    if v.ndim == 1:
        return _on_diagonal(v, k)
    if v.ndim == 2:
        return diagonal(v, k)
    raise ValueError("Input must be 1- or 2-d.")


def diagflat(v, k=0):
    """A 2-D array with the flattened input on diagonal k."""
    return _on_diagonal(asarray(v).reshape(-1), k)
