"""einsum: Einstein summation reduced to views and matrix products.

Each operand first becomes a plain labelled view: repeated labels ('ii') turn into diagonal
views, and '...' into fresh labels. Operands are then contracted left to right, two at a time:
labels shared and still needed are batch axes, shared and not needed are summed by the product,
the rest are free. Every contraction is one matmul of the transposed and reshaped operands, so
matrix products, batch products, transposed products and outer products go to BLAS (float
types) without copies where the layout allows; sums over an axis are products with ones.
"""
import string as _string

import numpy as _np

from . import _core
from ._creation import asarray as _asarray, full as _full
from ._dtypes import dtype as _dtype

_k = _core._linalg
_LETTERS = _string.ascii_letters


def _prod(values):
    p = 1
    for v in values:
        p *= v
    return p


def _from_sublists(args):
    """einsum(op0, sub0, op1, sub1, ..., [subout]) -> the subscripts string and operands."""
    operands, subs = list(args[0::2]), list(args[1::2])
    out = None
    if len(args) % 2 == 1:
        out = args[-1]
        operands = operands[:len(subs)]

    def text(sub):
        return "".join("..." if s is Ellipsis else _LETTERS[s] for s in sub)

    spec = ",".join(text(s) for s in subs)
    if out is not None:
        spec += "->" + text(out)
    return spec, operands


def _parse(spec, operands):
    spec = spec.replace(" ", "")
    if "->" in spec:
        lhs, rhs = spec.split("->")
    else:
        lhs, rhs = spec, None
    inputs = lhs.split(",")
    if len(inputs) != len(operands):
        raise ValueError(f"einsum: {len(inputs)} subscript groups for {len(operands)} operands")
    for ch in lhs.replace(",", "").replace(".", "") + (rhs or "").replace(".", ""):
        if ch not in _LETTERS:
            raise ValueError(f"invalid subscript '{ch}' in einstein sum subscripts string, "
                             "subscripts must be letters")
    used = set(lhs) | set(rhs or "")
    free_letters = [c for c in _LETTERS if c not in used]
    ellipsis_dims = 0
    for sub, op in zip(inputs, operands):
        if "..." in sub:
            ellipsis_dims = max(ellipsis_dims, op.ndim - (len(sub) - 3))
    ell = "".join(free_letters[:ellipsis_dims])
    labels = []
    for i, (sub, op) in enumerate(zip(inputs, operands)):
        if "..." in sub:
            n = op.ndim - (len(sub) - 3)
            if n < 0:
                raise ValueError(f"einstein sum subscripts string contains too many subscripts "
                                 f"for operand {i}")
            sub = sub.replace("...", ell[len(ell) - n:] if n else "")
        if len(sub) != op.ndim:
            raise ValueError(f"operand has more dimensions than subscripts given in einstein sum, "
                             f"but no '...' ellipsis provided to broadcast the extra dimensions."
                             if len(sub) < op.ndim else
                             f"einstein sum subscripts string contains too many subscripts for "
                             f"operand {i}")
        labels.append(sub)
    if rhs is None:
        counts = {}
        for sub in inputs:
            for c in sub.replace(".", ""):
                counts[c] = counts.get(c, 0) + 1
        rhs = ell + "".join(sorted(c for c, n in counts.items() if n == 1))
    else:
        rhs = rhs.replace("...", ell)
        for c in rhs:
            if rhs.count(c) > 1:
                raise ValueError(f"einstein sum subscripts string includes output subscript "
                                 f"'{c}' multiple times")
            if not any(c in sub for sub in labels):
                raise ValueError(f"einstein sum subscripts string included output subscript "
                                 f"'{c}' which never appeared in an input")
    return labels, rhs


def _take_diagonals(x, labels):
    """Repeated labels in one operand select a diagonal: a strided view, no copy."""
    while True:
        repeated = next((c for c in labels if labels.count(c) > 1), None)
        if repeated is None:
            return x, labels
        i = labels.index(repeated)
        j = labels.index(repeated, i + 1)
        if x.shape[i] != x.shape[j]:
            raise ValueError(f"dimensions in operand for collapsing index '{repeated}' don't "
                             f"match ({x.shape[i]} != {x.shape[j]})")
        shape, strides = list(x.shape), list(x.strides)
        strides[i] += strides[j]
        del shape[j], strides[j]
        x = x._with_layout(x._offset, shape, strides)
        labels = labels[:j] + labels[j + 1:]


def _sum_out(x, labels, drop, dt):
    """Sums the axes labelled in `drop` (a product with a vector of ones)."""
    if not drop:
        return x, labels
    keep = [c for c in labels if c not in drop]
    order = [labels.index(c) for c in keep] + [labels.index(c) for c in drop]
    kept_shape = tuple(x.shape[labels.index(c)] for c in keep)
    n = _prod(x.shape[labels.index(c)] for c in drop)
    flat = x.transpose(order).reshape(kept_shape + (n,))
    r = _k.matmul(flat, _full((n,), 1, dtype=dt), dt)
    return r, "".join(keep)


def _contract(a, la, b, lb, needed, dt):
    a, la = _sum_out(a, la, [c for c in la if c not in lb and c not in needed], dt)
    b, lb = _sum_out(b, lb, [c for c in lb if c not in la and c not in needed], dt)
    batch = [c for c in la if c in lb and c in needed]
    summed = [c for c in la if c in lb and c not in needed]
    free_a = [c for c in la if c not in lb]
    free_b = [c for c in lb if c not in la]
    size_a = {c: a.shape[la.index(c)] for c in la}
    size_b = {c: b.shape[lb.index(c)] for c in lb}
    for c in summed:
        if size_a[c] != size_b[c]:
            raise ValueError(f"einsum: operands disagree on the size of '{c}' "
                             f"({size_a[c]} != {size_b[c]}); shapes {a.shape} and {b.shape}")
    m = _prod(size_a[c] for c in free_a)
    n = _prod(size_b[c] for c in free_b)
    k = _prod(size_a[c] for c in summed)
    a2 = a.transpose([la.index(c) for c in batch + free_a + summed])
    a2 = a2.reshape(tuple(size_a[c] for c in batch) + (m, k))
    b2 = b.transpose([lb.index(c) for c in batch + summed + free_b])
    b2 = b2.reshape(tuple(size_b[c] for c in batch) + (k, n))
    r = _k.matmul(a2, b2, dt)
    shape = (tuple(r.shape[:len(batch)]) + tuple(size_a[c] for c in free_a) +
             tuple(size_b[c] for c in free_b))
    return r.reshape(shape), "".join(batch + free_a + free_b)


def einsum(*operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """Einstein summation over the operands (NumPy's subscripts, '...' and implicit output)."""
    if not operands:
        raise ValueError("No input operands")
    if isinstance(operands[0], str):
        spec, ops = operands[0], list(operands[1:])
    else:
        if len(operands) < 2:  # the sublist form needs (operand, sublist) pairs
            raise ValueError("must provide at least an operand and a subscripts list to einsum")
        spec, ops = _from_sublists(operands)
    ops = [_asarray(o) for o in ops]
    labels, output = _parse(spec, ops)
    dt = _np.result_type(*[o.dtype for o in ops]) if dtype is None else _dtype(dtype)
    terms = []
    for op, lab in zip(ops, labels):
        if op.dtype != dt:
            op = op.astype(dt)
        terms.append(_take_diagonals(op, lab))
    while len(terms) > 1:
        (a, la), (b, lb) = terms[0], terms[1]
        needed = set(output).union(*[set(l) for _, l in terms[2:]])
        terms = [_contract(a, la, b, lb, needed, dt)] + terms[2:]
    x, lx = terms[0]
    x, lx = _sum_out(x, lx, [c for c in lx if c not in output], dt)
    r = x.transpose([lx.index(c) for c in output]) if x.ndim else x
    if out is not None:
        out[...] = r
        return out
    return r[()] if r.ndim == 0 else r
