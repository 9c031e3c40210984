"""Property tests against NumPy: random shapes (0-d and zero-size included), slicing chains,
reshape/transpose chains, setitem with broadcasting and advanced-index combinations.

Every step compares values, shape and dtype; where NumPy returns a view numfuse must return a view
of the same memory with the same strides (on axes longer than 1), and where NumPy copies numfuse
must not alias. Invalid combinations must raise the exception type NumPy raises.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import numfuse as nf

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)
dtypes = st.sampled_from([np.int64, np.float64, np.float32, np.int8, np.uint16, np.complex128, np.bool_])


@st.composite
def base_arrays(draw, shape=shapes):
    """A NumPy array with distinct values in a random layout (contiguous, transposed, reversed)."""
    shape = draw(shape)
    dtype = np.dtype(draw(dtypes))
    n = np.arange(int(np.prod(shape))).reshape(shape)
    n = np.asarray(n % 2 == 1) if dtype == np.bool_ else n.astype(dtype)
    layout = draw(st.sampled_from(["c", "f", "reversed"]))
    if layout == "f":
        n = np.asfortranarray(n)
    elif layout == "reversed" and n.ndim:
        # Same values, negative strides on the first axis (the copy owns reversed storage).
        n = np.ascontiguousarray(n[::-1])[::-1]
    return n


@st.composite
def value_shapes(draw, target):
    """Shapes that broadcast *to* target: a suffix of it, some dims set to 1, maybe leading 1s."""
    k = draw(st.integers(0, len(target)))
    shape = [1 if draw(st.booleans()) else d for d in target[len(target) - k:]]
    leading = draw(st.integers(0, 1)) if target else 0  # NumPy refuses [x] for a scalar target
    return (1,) * leading + tuple(shape)


def compare(got, want, nbase, abase):
    """got (numfuse) matches want (NumPy) in value, dtype, shape, view-ness and layout."""
    if not isinstance(want, np.ndarray):
        assert not isinstance(got, nf.ndarray), "NumPy gives a scalar here"
        assert type(got) is type(want) and (got == want or got != got)
        return
    assert isinstance(got, nf.ndarray)
    g = np.asarray(got)
    assert g.shape == want.shape and g.dtype == want.dtype
    np.testing.assert_array_equal(g, want)
    is_view = np.shares_memory(want, nbase)
    assert np.shares_memory(g, np.asarray(abase)) == is_view
    if is_view and want.size > 1:
        keep = [i for i, d in enumerate(want.shape) if d > 1]
        assert [g.strides[i] for i in keep] == [want.strides[i] for i in keep]


def outcome(fn):
    try:
        return fn(), None
    except Exception as e:  # noqa: BLE001 - compared with NumPy's outcome
        return None, e


def same_outcome(fn, nbase, abase):
    want, werr = outcome(lambda: fn(np, nbase))
    got, gerr = outcome(lambda: fn(nf, abase))
    if werr is not None:
        assert gerr is not None, f"NumPy raised {werr!r}, numfuse returned"
        assert type(gerr) is type(werr), f"{gerr!r} vs NumPy's {werr!r}"
        return None, None
    assert gerr is None, f"numfuse raised {gerr!r}"
    compare(got, want, nbase, abase)
    return got, want


# --- slicing chains -----------------------------------------------------------------------------

@SETTINGS
@given(st.data(), base_arrays())
def test_basic_slicing_chains(data, n):
    a = nf.asarray(n)
    vn, va = n, a
    for _ in range(data.draw(st.integers(1, 3))):
        if not isinstance(vn, np.ndarray):
            break
        key = data.draw(hnp.basic_indices(vn.shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True))
        va, vn = va[key], vn[key]
        compare(va, vn, n, a)


@SETTINGS
@given(st.data(), base_arrays())
def test_setitem_basic_with_broadcast_values(data, n):
    n = n.copy()
    a = nf.asarray(n.copy())
    key = data.draw(hnp.basic_indices(n.shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True))
    target = n[key]
    target_shape = np.shape(target)
    value_shape = data.draw(value_shapes(target_shape))
    value = (np.arange(int(np.prod(value_shape))).reshape(value_shape) * 7 + 3).astype(n.dtype)
    n[key] = value
    a[key] = nf.asarray(value) if data.draw(st.booleans()) else value
    np.testing.assert_array_equal(np.asarray(a), n)


# --- reshape / transpose chains -----------------------------------------------------------------

def _factorizations(size, max_dims=4):
    """Shapes with the given size (small ones only), for reshape targets."""
    if size == 0:
        return st.lists(st.integers(0, 3), min_size=1, max_size=max_dims).filter(lambda s: 0 in s)
    divisors = [d for d in range(1, size + 1) if size % d == 0]

    @st.composite
    def build(draw):
        remaining, dims = size, []
        for _ in range(draw(st.integers(0, max_dims - 1))):
            d = draw(st.sampled_from([d for d in divisors if remaining % d == 0]))
            dims.append(d)
            remaining //= d
        dims.append(remaining)
        return draw(st.permutations(dims))
    return build()


@st.composite
def view_operation(draw, shape):
    """One shape operation valid for `shape`, as fn(module, array)."""
    nd = len(shape)
    size = int(np.prod(shape))
    kinds = ["reshape", "ravel", "T", "expand_dims", "squeeze", "flatten", "astype"]
    if nd:
        kinds += ["transpose", "swapaxes", "moveaxis"]
    kind = draw(st.sampled_from(kinds))
    if kind == "reshape":
        new = list(draw(_factorizations(size)))
        if size and draw(st.booleans()):
            new[draw(st.integers(0, len(new) - 1))] = -1
        order = draw(st.sampled_from("CFA"))
        return kind, lambda m, x: m.reshape(x, tuple(new), order=order)
    if kind == "ravel":
        order = draw(st.sampled_from("CFAK"))
        return kind, lambda m, x: m.ravel(x, order=order)
    if kind == "flatten":
        order = draw(st.sampled_from("CFAK"))
        return kind, lambda m, x: x.flatten(order)
    if kind == "astype":
        order = draw(st.sampled_from("CFAK"))
        copy = draw(st.booleans())
        return kind, lambda m, x: x.astype(x.dtype, order=order, copy=copy)
    if kind == "T":
        return kind, lambda m, x: x.T
    if kind == "transpose":
        perm = draw(st.permutations(range(nd)))
        return kind, lambda m, x: m.transpose(x, perm)
    if kind == "swapaxes":
        i, j = draw(st.integers(-nd, nd - 1)), draw(st.integers(-nd, nd - 1))
        return kind, lambda m, x: m.swapaxes(x, i, j)
    if kind == "moveaxis":
        k = draw(st.integers(1, nd))
        src = draw(st.permutations(range(nd)))[:k]
        dst = draw(st.permutations(range(-nd, 0)))[:k]
        return kind, lambda m, x: m.moveaxis(x, src, dst)
    if kind == "expand_dims":
        axis = draw(st.integers(-nd - 1, nd))
        return kind, lambda m, x: m.expand_dims(x, axis)
    ones = [i for i, d in enumerate(shape) if d == 1]
    axes = tuple(draw(st.lists(st.sampled_from(ones), unique=True))) if ones else None
    return kind, lambda m, x: m.squeeze(x, axis=axes or None)


@SETTINGS
@given(st.data(), base_arrays(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)))
def test_reshape_transpose_chains(data, n):
    a = nf.asarray(n)
    vn, va = n, a
    for _ in range(data.draw(st.integers(1, 4))):
        if vn.ndim > 6:
            break
        _, op = data.draw(view_operation(vn.shape))
        va, vn = same_outcome(op, vn, va)
        if vn is None:
            return
        # The chain's result must still alias the original exactly when NumPy's does.
        assert np.shares_memory(np.asarray(va), np.asarray(a)) == np.shares_memory(vn, n)


@SETTINGS
@given(st.data(), base_arrays(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
def test_writes_through_view_chains_reach_the_base(data, n):
    n = n.copy()
    a = nf.asarray(n.copy())
    vn, va = n, a
    for _ in range(data.draw(st.integers(1, 3))):
        _, op = data.draw(view_operation(vn.shape))
        va, vn = same_outcome(op, vn, va)
        if vn is None:
            return
    vn[...] = 1
    va[...] = 1
    np.testing.assert_array_equal(np.asarray(a), n)


# --- advanced indexing ----------------------------------------------------------------------------

@st.composite
def mixed_keys(draw, shape):
    """Index keys mixing integer arrays, boolean masks, ints, slices, None and Ellipsis."""
    index_shape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    items = []
    for size in shape[:draw(st.integers(0, len(shape)))]:
        kind = draw(st.sampled_from(["slice", "int", "array", "array", "mask", "list"]))
        if kind == "slice" or size == 0 and kind in ("int", "array", "list"):
            items.append(draw(st.slices(size)))
        elif kind == "int":
            items.append(draw(st.integers(-size, size - 1)))
        elif kind == "array":
            sub = index_shape[draw(st.integers(0, len(index_shape))):]
            dtype = draw(st.sampled_from([np.intp, np.int8, np.uint8, np.int32]))
            low = 0 if np.dtype(dtype).kind == "u" else -size
            items.append(draw(hnp.arrays(dtype, sub, elements=st.integers(low, size - 1))))
        elif kind == "list":
            items.append(draw(st.lists(st.integers(-size, size - 1), min_size=0, max_size=3)))
        else:
            items.append(draw(hnp.arrays(np.bool_, (size,))))
    for _ in range(draw(st.integers(0, 2))):
        extra = draw(st.sampled_from([None, True, False, Ellipsis]))
        if extra is Ellipsis and any(item is Ellipsis for item in items):
            continue
        items.insert(draw(st.integers(0, len(items))), extra)
    if items and draw(st.booleans()):
        as_nf = draw(st.integers(0, len(items) - 1))
        if isinstance(items[as_nf], np.ndarray):
            items[as_nf] = nf.asarray(items[as_nf])
    return tuple(items) if len(items) != 1 or draw(st.booleans()) else items[0]


def _numpy_key(key):
    if isinstance(key, tuple):
        return tuple(_numpy_key(k) for k in key)
    return np.asarray(key) if isinstance(key, nf.ndarray) else key


@SETTINGS
@given(st.data(), base_arrays(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)))
def test_advanced_getitem(data, n):
    a = nf.asarray(n)
    key = data.draw(mixed_keys(n.shape))
    same_outcome(lambda m, x: x[_numpy_key(key) if m is np else key], n, a)


@SETTINGS
@given(st.data(), base_arrays(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
def test_advanced_setitem_with_broadcast_values(data, n):
    n = n.copy()
    a = nf.asarray(n.copy())
    key = data.draw(mixed_keys(n.shape))
    try:
        target_shape = n[_numpy_key(key)].shape
    except IndexError:
        with pytest.raises(IndexError):
            a[key] = 0
        return
    value_shape = data.draw(value_shapes(target_shape))
    value = (np.arange(int(np.prod(value_shape))).reshape(value_shape) * 5 + 1).astype(n.dtype)
    _, werr = outcome(lambda: n.__setitem__(_numpy_key(key), value))
    _, gerr = outcome(lambda: a.__setitem__(key, value))
    assert type(gerr) is type(werr), f"{gerr!r} vs NumPy's {werr!r}"
    np.testing.assert_array_equal(np.asarray(a), n)


@SETTINGS
@given(st.data(), base_arrays(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5)))
def test_mask_get_set_and_nonzero(data, n):
    mask = data.draw(hnp.arrays(np.bool_, n.shape))
    a = nf.asarray(n.copy())
    compare(a[mask], n[mask], n, a)
    compare(a[nf.asarray(mask)], n[mask], n, a)
    for got, want in zip(nf.nonzero(nf.asarray(mask)), np.nonzero(mask)):
        compare(got, want, mask, nf.asarray(mask))
    assert nf.count_nonzero(a) == np.count_nonzero(n)
    n2 = n.copy()
    n2[mask] = n2[mask][::-1] if n2[mask].size else n2[mask]
    a[mask] = a[mask][::-1]
    np.testing.assert_array_equal(np.asarray(a), n2)


@SETTINGS
@given(st.data(), base_arrays(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
def test_take_matches_numpy(data, n):
    axis = data.draw(st.none() | st.integers(-n.ndim, n.ndim - 1))
    length = n.size if axis is None else n.shape[axis]
    mode = data.draw(st.sampled_from(["raise", "wrap", "clip"]))
    bound = length if mode == "raise" else 3 * length
    idx = data.draw(hnp.arrays(np.intp, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
                               elements=st.integers(-bound, bound - 1)))
    same_outcome(lambda m, x: m.take(x, idx, axis=axis, mode=mode), n, nf.asarray(n))
