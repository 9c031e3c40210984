"""numfuse arrays as the chunks of Dask arrays (the `dask` extra).

Dask builds its arrays from any NumPy-like chunk type: it reads `_meta` (an empty chunk made
through the chunk's own module and `__array_function__`), then calls NumPy functions on chunks,
which the dispatch protocols route back to numfuse. These tests check that the chunks stay
numfuse arrays through each kind of Dask operation and that the values, dtypes and shapes are
NumPy's on the same data (NumPy is the oracle). One test runs on a 2-process LocalCluster."""
import numpy as np
import pytest

import numfuse as nf

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

A = np.arange(48, dtype=np.float64).reshape(6, 8) * 0.75 - 11.0
CHUNKS = (3, 4)


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def nf_dask(a=A, chunks=CHUNKS):
    return da.from_array(nf.asarray(a), chunks=chunks)


def assert_like_numpy(result, expected, numfuse_meta=True):
    """`result` (a Dask array) keeps numfuse chunks; computed it equals NumPy's `expected`.

    Dask derives a result's `_meta` by running the operation on the input's meta; where NumPy's
    semantics give a scalar (a full reduction, an arg-reduction's dtype probe), Dask wraps it in a
    NumPy meta, as it does for NumPy chunks: those results pass numfuse_meta=False and are checked
    on the computed value's type instead."""
    if numfuse_meta:
        assert isinstance(result._meta, nf.ndarray), type(result._meta)
    got = result.compute()
    expected = np.asarray(expected)
    if got.ndim:
        assert isinstance(got, nf.ndarray), type(got)
    got = np.asarray(got)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_meta_and_chunks_are_numfuse():
    x = nf_dask()
    assert isinstance(x._meta, nf.ndarray) and x._meta.shape == (0, 0) and x._meta.dtype == np.float64
    block = x.blocks[0, 0].compute()
    assert isinstance(block, nf.ndarray)
    np.testing.assert_array_equal(np.asarray(block), A[:3, :4])


ELEMENTWISE = {
    "arith": lambda x: (x * 2 + 1) * x - 3,
    "ufunc": lambda x: np.sin(x) + np.exp(x / 10),
    "where": lambda x: np.where(x > 0, x, -x),
    "compare": lambda x: x >= 1.5,
    "scalar_first": lambda x: 1.0 / (1.0 + abs(x)),
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise(name):
    f = ELEMENTWISE[name]
    assert_like_numpy(f(nf_dask()), f(A))


NUMFUSE_FUNCTIONS = {  # nf.<ufunc>(dask_array) defers to Dask as np.<ufunc>(dask_array) does
    "nf_ufunc": (lambda x: nf.sin(x) + nf.exp(x / 10), lambda a: np.sin(a) + np.exp(a / 10)),
    "nf_binary_scalar": (lambda x: nf.add(2.0, x), lambda a: np.add(2.0, a)),
    "nf_ufunc_keywords": (lambda x: nf.multiply(x, x, dtype=np.float32), lambda a: np.multiply(a, a, dtype=np.float32)),
    "nf_outer": (lambda x: nf.subtract.outer(x[0], x[1]), lambda a: np.subtract.outer(a[0], a[1])),
    "numfuse_operand_first": (lambda x: nf.asarray(A) - x * nf.asarray(A), lambda a: A - a * A),
}


@pytest.mark.parametrize("name", sorted(NUMFUSE_FUNCTIONS))
def test_numfuse_functions_defer_to_dask(name):
    ours, numpy = NUMFUSE_FUNCTIONS[name]
    result = ours(nf_dask())
    assert isinstance(result, da.Array), type(result)
    assert_like_numpy(result, numpy(A))


@pytest.mark.parametrize("reduction", ["sum", "mean", "std", "max", "argmin"])
def test_numfuse_reductions_defer_to_dask(reduction):
    result = getattr(nf, reduction)(nf_dask(), axis=1)
    assert isinstance(result, da.Array), type(result)
    # Dask probes an arg-reduction's dtype on a scalar: a NumPy meta, as for NumPy chunks
    assert_like_numpy(result, getattr(np, reduction)(A, axis=1), numfuse_meta=reduction != "argmin")


def test_ufunc_override_protocol_as_numpy():
    """NEP 13 as NumPy applies it: __array_ufunc__ = None refuses, NotImplemented everywhere is a
    TypeError, and the overriding operand gets NumPy's ufunc and the call's arguments."""

    class Refuses:
        __array_ufunc__ = None

    class Records:
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            return ufunc.__name__, method, len(inputs), sorted(kwargs)

    class Declines:
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            return NotImplemented

    for call in (lambda x: np.add(1.0, x), lambda x: nf.add(1.0, x)):
        with pytest.raises(TypeError):
            call(Refuses())
        with pytest.raises(TypeError):
            call(Declines())
    assert nf.add(nf.ones(3), Records(), out=None) == np.add(np.ones(3), Records(), out=None)
    assert nf.sqrt(Records(), where=True) == np.sqrt(Records(), where=True)
    assert nf.true_divide(Records(), 2) == np.true_divide(Records(), 2)


@pytest.mark.parametrize("reduction", ["sum", "mean", "var", "std", "min", "max", "argmax", "argmin", "prod"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_reductions(reduction, axis):
    if reduction in ("argmax", "argmin") and isinstance(axis, tuple):
        for array in (A, nf.asarray(A)):   # NumPy's rule: an arg-reduction takes one axis
            with pytest.raises(TypeError):
                getattr(array, reduction)(axis=axis)
        with pytest.raises(TypeError):
            getattr(nf_dask(), reduction)(axis=axis)
        return
    a = A / 20 if reduction == "prod" else A
    x = nf_dask(a)
    full = axis is None or isinstance(axis, tuple)
    assert_like_numpy(getattr(x, reduction)(axis=axis), getattr(a, reduction)(axis=axis),
                      numfuse_meta=not full and not reduction.startswith("arg"))


B3 = np.random.default_rng(0).standard_normal((4, 6, 5)).astype(np.float32)


REDUCTIONS_3D = [(r, axis) for r in ["sum", "mean", "var", "std", "min", "max", "prod", "any",
                                       "nansum", "nanmean", "nanmax", "cumsum", "argmax"]
                 for axis in [None, 0, 2, -1, (0, 2), (1, 2), (0, 1, 2)]
                 if not (r in ("argmax", "cumsum") and isinstance(axis, tuple))]  # one axis only


@pytest.mark.parametrize(("reduction", "axis"), REDUCTIONS_3D)
def test_reductions_3d_float32(reduction, axis):
    """Dask's namespace functions over float32 chunks of a 3-D array, any axes, NumPy's dtypes."""
    x = da.from_array(nf.asarray(B3), chunks=(2, 3, 5))
    got = getattr(da, reduction)(x, axis=axis)
    expected = getattr(np, reduction)(B3, axis=axis)
    computed = np.asarray(got.compute())
    assert computed.shape == np.shape(expected) and computed.dtype == np.asarray(expected).dtype
    if computed.ndim:
        assert isinstance(got.compute(), nf.ndarray)
    np.testing.assert_allclose(computed, expected, rtol=2e-5, atol=2e-5)


def test_reductions_keepdims_and_dtype():
    x = nf_dask()
    assert_like_numpy(x.sum(axis=1, keepdims=True), A.sum(axis=1, keepdims=True))
    assert_like_numpy(x.sum(axis=0, dtype=np.float32), A.sum(axis=0, dtype=np.float32))
    ints = np.arange(24, dtype=np.int32).reshape(4, 6)
    assert_like_numpy(nf_dask(ints, (2, 3)).sum(axis=0), ints.sum(axis=0))
    assert_like_numpy(nf_dask(ints, (2, 3)).mean(), ints.mean(), numfuse_meta=False)


def test_map_blocks_and_blockwise():
    x = nf_dask()
    seen = []

    def double(block):
        seen.append(type(block))
        return block * 2

    assert_like_numpy(x.map_blocks(double, dtype=x.dtype), A * 2)
    assert seen and all(t is nf.ndarray for t in seen)
    y = da.blockwise(lambda b, c: b - c, "ij", x, "ij", x.T.T, "ij", dtype=x.dtype)
    assert_like_numpy(y, A - A)
    outer = da.blockwise(np.multiply.outer, "ij", x[:, 0], "i", x[0, :], "j", dtype=x.dtype)
    assert_like_numpy(outer, np.multiply.outer(A[:, 0], A[0, :]))


def test_slicing_rechunk_concatenate_stack():
    x = nf_dask()
    assert_like_numpy(x[1:5, ::3], A[1:5, ::3])
    assert_like_numpy(x[::-1, 2], A[::-1, 2])
    assert_like_numpy(x[x[:, 0] > -5], A[A[:, 0] > -5])
    r = x.rechunk((2, 8))
    assert r.chunks == ((2, 2, 2), (8,))
    assert_like_numpy(r, A)
    assert_like_numpy(da.concatenate([x, x[:2]], axis=0), np.concatenate([A, A[:2]], axis=0))
    assert_like_numpy(da.concatenate([x, x], axis=1), np.concatenate([A, A], axis=1))
    assert_like_numpy(da.stack([x, x + 1], axis=1), np.stack([A, A + 1], axis=1))
    assert_like_numpy(x.T, A.T)
    assert_like_numpy(x.ravel(), A.ravel())
    assert_like_numpy(x.reshape(3, 2, 8), A.reshape(3, 2, 8))


def test_matmul_dot_astype():
    x = nf_dask()
    assert_like_numpy(x @ x.T, A @ A.T)
    assert_like_numpy(da.dot(x.T, x), np.dot(A.T, A))
    assert_like_numpy(da.tensordot(x, x, axes=([1], [1])), np.tensordot(A, A, axes=([1], [1])))
    for dtype in (np.float32, np.int64, np.int16, np.bool_):
        assert_like_numpy(x.astype(dtype), A.astype(dtype))


def test_zero_size_chunks():
    empty = nf_dask(np.zeros((0, 4)), (2, 2))
    assert isinstance(empty._meta, nf.ndarray)
    assert_like_numpy(empty + 1, np.zeros((0, 4)) + 1)
    assert_like_numpy(empty.sum(axis=0), np.zeros((0, 4)).sum(axis=0))
    # a zero-size chunk between two full ones
    x = da.from_array(nf.asarray(A), chunks=((3, 0, 3), (4, 4)))
    assert x.numblocks == (3, 2)
    assert isinstance(x.blocks[1, 0].compute(), nf.ndarray)
    assert_like_numpy((x * 3).sum(axis=0), (A * 3).sum(axis=0))
    assert_like_numpy(x.mean(axis=1), A.mean(axis=1))
    # Dask reduces each chunk, the empty one too: max along axis 1 meets an identity-less empty
    # reduction, which raises NumPy's ValueError exactly as with NumPy chunks
    numpy_chunked = da.from_array(A, chunks=((3, 0, 3), (4, 4)))
    with pytest.raises(ValueError):
        numpy_chunked.max(axis=1).compute()
    with pytest.raises(ValueError):
        x.max(axis=1).compute()
    assert_like_numpy(x[3:3], A[3:3])


def test_chunk_elementwise_chain_is_one_fused_pass():
    """Each chunk's chain `(x*2+1)*x - sin(x)` runs as one fused group, not one pass per op."""
    big = np.linspace(-3, 3, 4 * 4096).reshape(4, 4096)
    x = nf_dask(big, (1, 4096))   # 4 chunks
    y = (x * 2 + 1) * x - np.sin(x)
    nf.reset_jit_stats()
    got = y.compute()
    stats = nf.jit_stats()
    np.testing.assert_allclose(np.asarray(got), (big * 2 + 1) * big - np.sin(big), rtol=1e-12)
    assert stats["nodes_recorded"] >= 4 * 4, stats   # the ops were recorded lazily on every chunk ...
    assert stats["groups_run"] == 4, stats          # ... and each chunk ran them in one pass
    assert stats["eager_fallbacks"] == 0, stats


def test_distributed_local_cluster():
    distributed = pytest.importorskip("distributed")
    try:
        cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                           dashboard_address=None, host="127.0.0.1")
    except (OSError, MemoryError) as exc:   # only a machine without the resources skips
        pytest.skip(f"LocalCluster cannot start here: {exc!r}")
    with cluster, distributed.Client(cluster) as client:
        x = nf_dask()
        results = client.compute([((x * 2 + 1) * x - 3).sum(axis=0), x.var(axis=1), x.argmax(axis=0),
                                  (x @ x.T), x.rechunk((2, 8)).astype(np.float32)], sync=True)
        expected = [((A * 2 + 1) * A - 3).sum(axis=0), A.var(axis=1), A.argmax(axis=0), A @ A.T,
                    A.astype(np.float32)]
        for got, want in zip(results, expected):
            assert isinstance(got, nf.ndarray), type(got)
            got = np.asarray(got)
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=1e-12)
        # the workers (fresh processes) ran the chains through numfuse's fused engine
        groups = client.run(lambda: __import__("numfuse").jit_stats()["groups_run"])
        assert len(groups) == 2 and sum(groups.values()) > 0, groups


@pytest.mark.parametrize("protocol", [2, 5])
def test_pickle_round_trip_for_workers(protocol):
    """The distributed scheduler pickles chunks: views, pending chains and read-only buffers."""
    import pickle

    from numfuse._ndarray import _unpickle
    base = nf.asarray(A)
    for value, expected in ((base[:, ::3], A[:, ::3]), (base * 2 + 1, A * 2 + 1), (base.astype(np.int16), A.astype(np.int16))):
        back = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert isinstance(back, nf.ndarray) and back.dtype == expected.dtype
        np.testing.assert_array_equal(np.asarray(back), expected)
        back[0, 0] = 99     # writable, and not the sender's memory
    np.testing.assert_array_equal(np.asarray(base), A)
    frozen = A.copy()
    frozen.flags.writeable = False
    adopted = _unpickle(frozen)
    adopted[0, 0] = 5.0     # a read-only buffer is copied, never written
    assert frozen[0, 0] == A[0, 0]
