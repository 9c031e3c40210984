"""Differential bad-argument test: every row of TABLE is a call with bad arguments, run against
NumPy and against numfuse. numfuse must raise the exception type NumPy raises (messages may
differ; test_bad_input.py checks the words of the common ones), and no pybind11 text may ever
reach the user. Rows where numfuse deliberately differs say so in DIFFERENT, with the reason;
rows for numfuse-only functions (or calls NumPy cannot survive, such as LAPACK loops) are in
NUMFUSE_ONLY with the expected type. Extend the tables whenever a function lands.

Calls that could hang or crash (LAPACK on non-finite input, hand-built capsules) run in a child
process with a timeout (test_linalg_nonfinite_subprocess below), so a regression fails loudly
instead of stopping the suite.
"""
import io
import operator

import numpy as np
import pytest

import numfuse as nf

PYBIND11_TEXT = ("incompatible function arguments", "Unable to cast", "C++ type", "pybind11",
                 "The following argument types")
F = np.arange(6.0).reshape(2, 3)
SQ = np.array([[2.0, 1.0], [1.0, 3.0]])


def a(m, n=F):
    """The same data as a NumPy or a numfuse array, depending on the module under test."""
    return m.asarray(n.copy())


def setitem(m, key, value, n=F):
    x = a(m, n)
    x[key] = value


def npy_bytes(header):
    """A version-1.0 .npy file with the given header text and no data."""
    text = header.encode("latin1")
    text += b" " * (63 - (len(text) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text


def load_header(m, header):
    return m.load(io.BytesIO(npy_bytes(header)))


# (id, call(m)); every call must raise under NumPy.
TABLE = [
    # --- creation: shapes ------------------------------------------------------------------
    ("zeros-2**63", lambda m: m.zeros(2**63)),
    ("ones-2**64", lambda m: m.ones(2**64)),
    ("empty-below-int64", lambda m: m.empty(-2**63 - 1)),
    ("zeros-tuple-2**63", lambda m: m.zeros((2**63,))),
    ("zeros-tuple-2**64-second", lambda m: m.zeros((1, 2**64))),
    ("full-2**63", lambda m: m.full(2**63, 1.0)),
    ("empty-zero-dim-too-big", lambda m: m.empty((0, 2**62, 2**62))),
    ("empty-too-big-then-zero", lambda m: m.empty((2**62, 4, 0))),
    ("empty-too-big-int8", lambda m: m.empty((2**62, 2), np.int8)),
    ("empty-too-big-before-negative", lambda m: m.empty((2**62, 4, -1))),
    ("empty-negative-before-too-big", lambda m: m.empty((-1, 2**62, 4))),
    ("zeros-65-dims", lambda m: m.zeros((1,) * 65)),
    ("zeros-65-zero-dims", lambda m: m.zeros((0,) * 65)),
    ("zeros-none", lambda m: m.zeros(None)),
    ("zeros-float", lambda m: m.zeros(1.5)),
    ("zeros-float-in-tuple", lambda m: m.zeros((2, 1.5))),
    ("zeros-str", lambda m: m.zeros("ab")),
    ("zeros-nested-list", lambda m: m.zeros([[1]])),
    ("zeros-numpy-float", lambda m: m.zeros(np.float64(2))),
    ("zeros-negative", lambda m: m.zeros(-1)),
    ("ones-negative-second", lambda m: m.ones((2, -1))),
    ("zeros-dtype-name", lambda m: m.zeros(3, dtype="nope")),
    ("zeros-dtype-int", lambda m: m.zeros(3, dtype=5)),
    ("zeros-order-name", lambda m: m.zeros(3, order="X")),
    ("zeros-order-int", lambda m: m.zeros(3, order=5)),
    ("empty-order-A", lambda m: m.empty(3, order="A")),
    ("full-string-fill", lambda m: m.full(2, "x", dtype=float)),
    ("full-negative", lambda m: m.full((-2,), 1.0)),
    ("eye-negative", lambda m: m.eye(-1)),
    ("eye-float", lambda m: m.eye(2.5)),
    ("eye-dtype", lambda m: m.eye(2, dtype="nope")),
    ("identity-float", lambda m: m.identity(2.5)),
    ("identity-negative", lambda m: m.identity(-1)),
    ("zeros-like-dtype", lambda m: m.zeros_like(a(m), dtype="nope")),
    ("empty-like-order", lambda m: m.empty_like(a(m), order="X")),
    ("empty-like-shape-huge", lambda m: m.empty_like(a(m), shape=(2**63,))),
    ("full-like-string", lambda m: m.full_like(a(m), "x")),
    ("array-ragged", lambda m: m.array([[1, 2], [3]])),
    ("array-dtype", lambda m: m.array([1, 2], dtype="nope")),
    ("array-ndmin-65", lambda m: m.array(1.0, ndmin=65)),
    ("asarray-dtype-int", lambda m: m.asarray([1.0], dtype=5)),
    ("asarray-copy-false-cast", lambda m: m.asarray(a(m), dtype=np.int32, copy=False)),
    # --- creation: ranges ------------------------------------------------------------------
    ("arange-int64-span", lambda m: m.arange(-2**63, 2**63 - 1)),
    ("arange-tiny-step", lambda m: m.arange(0.0, 1.0, 1e-300)),
    ("arange-subnormal-step", lambda m: m.arange(0, 1, 2.0**-1074)),
    ("arange-2**64", lambda m: m.arange(2**64)),
    ("arange-inf", lambda m: m.arange(0, np.inf)),
    ("arange-huge-float", lambda m: m.arange(0, 1e300)),
    ("arange-nan", lambda m: m.arange(np.nan)),
    ("arange-nan-step", lambda m: m.arange(0, 5, np.nan)),
    ("arange-zero-step", lambda m: m.arange(0, 5, 0)),
    ("arange-negative-uint8", lambda m: m.arange(-5, 5, dtype=np.uint8)),
    ("arange-negative-float-uint8", lambda m: m.arange(-5.5, 5, dtype=np.uint8)),
    ("arange-start-above-uint8", lambda m: m.arange(300, 310, dtype=np.uint8)),
    ("arange-second-above-uint8", lambda m: m.arange(255, 258, dtype=np.uint8)),
    ("arange-second-below-uint8", lambda m: m.arange(0, -3, -1, dtype=np.uint8)),
    ("arange-start-below-int8", lambda m: m.arange(-200, 0, dtype=np.int8)),
    ("arange-bool-long", lambda m: m.arange(0, 3, dtype=bool)),
    ("arange-none", lambda m: m.arange(None)),
    ("arange-dtype", lambda m: m.arange(3, dtype="nope")),
    ("linspace-2**64", lambda m: m.linspace(0, 1, 2**64)),
    ("linspace-too-big", lambda m: m.linspace(0, 1, 2**62)),
    ("linspace-negative", lambda m: m.linspace(0, 1, -1)),
    ("linspace-float-num", lambda m: m.linspace(0, 1, 2.5)),
    ("linspace-str-num", lambda m: m.linspace(0, 1, "a")),
    ("linspace-dtype", lambda m: m.linspace(0, 1, 3, dtype="nope")),
    # --- views and manipulation ------------------------------------------------------------
    ("reshape-2**64", lambda m: a(m).reshape(2**64)),
    ("reshape-tuple-2**63", lambda m: a(m).reshape((2**63,))),
    ("reshape-zero-too-big", lambda m: m.zeros(0).reshape(0, 2**62, 2**62)),
    ("reshape-65-dims", lambda m: a(m).reshape((1,) * 65 + (6,))),
    ("reshape-mismatch", lambda m: a(m).reshape(5, 5)),
    ("reshape-two-unknown", lambda m: a(m).reshape(-1, -1)),
    ("reshape-float", lambda m: a(m).reshape(2.0, 3)),
    ("reshape-str", lambda m: a(m).reshape("ab")),
    ("reshape-none-dim", lambda m: a(m).reshape(None, 6)),
    ("reshape-order-K", lambda m: a(m).reshape(6, order="K")),
    ("reshape-order-int", lambda m: a(m).reshape(6, order=5)),
    ("reshape-function-order", lambda m: m.reshape(a(m), 6, order="X")),
    ("ravel-order", lambda m: m.ravel(a(m), order="X")),
    ("transpose-repeat", lambda m: m.transpose(a(m), (0, 0))),
    ("transpose-axis", lambda m: m.transpose(a(m), (0, 5))),
    ("transpose-length", lambda m: a(m).transpose(0)),
    ("transpose-float", lambda m: a(m).transpose(0.0, 1)),
    ("transpose-huge", lambda m: a(m).transpose(2**64, 0)),
    ("swapaxes-axis", lambda m: m.swapaxes(a(m), 0, 2)),
    ("swapaxes-float", lambda m: m.swapaxes(a(m), 0, 1.5)),
    ("swapaxes-huge", lambda m: m.swapaxes(a(m), 0, 2**64)),
    ("moveaxis-axis", lambda m: m.moveaxis(a(m), 0, 5)),
    ("moveaxis-repeat", lambda m: m.moveaxis(a(m), [0, 0], [0, 1])),
    ("expand-dims-axis", lambda m: m.expand_dims(a(m), 5)),
    ("expand-dims-float", lambda m: m.expand_dims(a(m), 1.5)),
    ("expand-dims-65", lambda m: m.expand_dims(m.zeros(()), tuple(range(65)))),
    ("expand-dims-365", lambda m: m.expand_dims(m.zeros(()), tuple(range(365)))),
    ("expand-dims-zero-too-big", lambda m: m.expand_dims(m.zeros((0, 2**62, 1)), 0)),
    ("broadcast-to-65", lambda m: m.broadcast_to(m.zeros(()), (1,) * 65)),
    ("broadcast-to-2**63", lambda m: m.broadcast_to(a(m), (2**63,))),
    ("broadcast-to-zero-too-big", lambda m: m.broadcast_to(m.zeros(()), (0, 2**62, 4))),
    ("broadcast-to-huge", lambda m: m.broadcast_to(m.zeros(()), (2**40, 2**40))),
    ("broadcast-to-str", lambda m: m.broadcast_to(a(m), "ab")),
    ("broadcast-to-float", lambda m: m.broadcast_to(a(m), (2, 3.0))),
    ("broadcast-to-mismatch", lambda m: m.broadcast_to(a(m), (2, 4))),
    ("broadcast-to-negative", lambda m: m.broadcast_to(a(m), (-1, 3))),
    ("broadcast-arrays", lambda m: m.broadcast_arrays(a(m), m.zeros(4))),
    ("broadcast-shapes", lambda m: m.broadcast_shapes((2, 3), (4,))),
    ("broadcast-shapes-float", lambda m: m.broadcast_shapes((2, 3.0))),
    ("squeeze-axis", lambda m: m.squeeze(a(m), axis=5)),
    ("squeeze-not-one", lambda m: m.squeeze(a(m), axis=0)),
    ("squeeze-float", lambda m: m.squeeze(a(m), axis=1.5)),
    ("concat-axis", lambda m: m.concatenate([a(m), a(m)], axis=2)),
    ("concat-float-axis", lambda m: m.concatenate([a(m), a(m)], axis=1.5)),
    ("concat-shapes", lambda m: m.concatenate([a(m), m.zeros(3)])),
    ("concat-empty", lambda m: m.concatenate([])),
    ("concat-dtype", lambda m: m.concatenate([a(m)], dtype="nope")),
    ("concat-casting", lambda m: m.concatenate([a(m)], dtype=np.int8, casting="safe")),
    ("concat-overflow", lambda m: m.concatenate([m.zeros((2**62, 0)), m.zeros((2**62, 0))])),
    ("concat-out-shape", lambda m: m.concatenate([a(m), a(m)], out=m.zeros(3))),
    ("stack-axis", lambda m: m.stack([a(m), a(m)], axis=3)),
    ("stack-empty", lambda m: m.stack([])),
    ("stack-shapes", lambda m: m.stack([a(m), m.zeros(3)])),
    ("atleast-2d-str-dtype", lambda m: m.atleast_2d(m.zeros(2)).astype("nope")),
    ("take-out-of-range", lambda m: m.take(a(m), [6])),
    ("take-axis", lambda m: m.take(a(m), [0], axis=2)),
    ("take-mode", lambda m: m.take(a(m), [0], mode="bogus")),
    ("nonzero-0d", lambda m: m.nonzero(m.asarray(1.0))),
    ("diagonal-same-axes", lambda m: m.diagonal(a(m), axis1=0, axis2=0)),
    ("trace-axis", lambda m: m.trace(a(m), axis1=0, axis2=5)),
    # --- astype and copies -----------------------------------------------------------------
    ("astype-name", lambda m: a(m).astype("nope")),
    ("astype-int", lambda m: a(m).astype(5)),
    ("astype-order-name", lambda m: a(m).astype(float, order="X")),
    ("astype-order-int", lambda m: a(m).astype(float, order=5)),
    ("astype-casting-name", lambda m: a(m).astype(float, casting="bogus")),
    ("astype-casting-safe", lambda m: a(m).astype(np.int32, casting="safe")),
    ("copy-order-name", lambda m: a(m).copy(order="X")),
    ("copy-order-int", lambda m: a(m).copy(order=5)),
    # --- reductions ------------------------------------------------------------------------
    ("sum-axis", lambda m: m.sum(a(m), axis=2)),
    ("sum-axis-float", lambda m: m.sum(a(m), axis=1.5)),
    ("sum-axis-str", lambda m: m.sum(a(m), axis="x")),
    ("sum-axis-duplicate", lambda m: m.sum(a(m), axis=(0, 0))),
    ("sum-axis-huge", lambda m: m.sum(a(m), axis=2**64)),
    ("sum-dtype", lambda m: m.sum(a(m), dtype="nope")),
    ("sum-out-shape", lambda m: m.sum(a(m), axis=0, out=m.zeros(5))),
    ("sum-out-list", lambda m: m.sum(a(m), out=[1.0])),
    ("prod-axis", lambda m: m.prod(a(m), axis=-3)),
    ("mean-axis", lambda m: m.mean(a(m), axis=2)),
    ("mean-dtype", lambda m: m.mean(a(m), dtype="nope")),
    ("var-axis", lambda m: m.var(a(m), axis=5)),
    ("var-ddof-str", lambda m: m.var(a(m), ddof="x")),
    ("std-axis", lambda m: m.std(a(m), axis=(0, 0))),
    ("max-empty", lambda m: m.max(m.zeros(0))),
    ("min-axis", lambda m: m.min(a(m), axis=2)),
    ("min-empty-axis", lambda m: m.min(m.zeros((0, 3)), axis=0)),
    ("argmax-empty", lambda m: m.argmax(m.zeros(0))),
    ("argmax-axis", lambda m: m.argmax(a(m), axis=2)),
    ("argmin-axis-tuple", lambda m: m.argmin(a(m), axis=(0, 1))),
    ("any-axis", lambda m: m.any(a(m), axis=2)),
    ("all-axis-float", lambda m: m.all(a(m), axis=0.5)),
    ("cumsum-axis", lambda m: m.cumsum(a(m), axis=2)),
    ("cumsum-dtype", lambda m: m.cumsum(a(m), dtype="nope")),
    ("cumprod-axis-tuple", lambda m: m.cumprod(a(m), axis=(0, 1))),
    ("nansum-axis", lambda m: m.nansum(a(m), axis=3)),
    ("nanmin-axis", lambda m: m.nanmin(a(m), axis=3)),
    ("count-nonzero-axis", lambda m: m.count_nonzero(a(m), axis=3)),
    ("method-sum-axis", lambda m: a(m).sum(axis=2)),
    ("method-mean-axis-float", lambda m: a(m).mean(axis=1.5)),
    # --- ufuncs and operators --------------------------------------------------------------
    ("add-out-shape", lambda m: m.add(a(m), a(m), out=m.zeros(5))),
    ("add-out-tuple-shape", lambda m: m.add(a(m), a(m), out=(m.zeros(5),))),
    ("add-out-str", lambda m: m.add(a(m), a(m), out="x")),
    ("add-out-list", lambda m: m.add(a(m), a(m), out=[1.0])),
    ("add-out-cast", lambda m: m.add(a(m), a(m), out=m.zeros((2, 3), np.int64))),
    ("add-dtype", lambda m: m.add(a(m), a(m), dtype="nope")),
    ("add-casting-name", lambda m: m.add(a(m), a(m), casting="bogus")),
    ("add-string-operand", lambda m: m.add(a(m), "x")),
    ("add-broadcast", lambda m: m.add(a(m), m.zeros(4))),
    ("add-three-operands", lambda m: m.add(a(m), a(m), a(m), a(m))),
    ("add-one-operand", lambda m: m.add(a(m))),
    ("sin-out-shape", lambda m: m.sin(a(m), out=m.zeros((3, 2)))),
    ("sqrt-string", lambda m: m.sqrt("x")),
    ("negative-bool", lambda m: m.negative(m.asarray([True]))),
    ("bitwise-and-float", lambda m: m.bitwise_and(a(m), a(m))),
    ("power-negative-int", lambda m: m.power(m.asarray([2, 3]), -1)),
    ("int-weak-overflow", lambda m: m.add(m.asarray([1], dtype=np.int8), 300)),
    ("where-mask-shape", lambda m: m.where(m.asarray([True, False, True, False]), a(m), 0)),
    ("clip-out-shape", lambda m: m.clip(a(m), 0, 1, out=m.zeros(5))),
    ("op-add-str", lambda m: a(m) + "x"),
    ("op-broadcast", lambda m: a(m) + m.zeros(4)),
    ("op-iadd-cast", lambda m: operator.iadd(m.zeros(3, np.int64), m.ones(3))),
    ("op-matmul-shape", lambda m: a(m) @ m.zeros(5)),
    ("op-matmul-scalar", lambda m: a(m) @ 2.0),
    ("op-pow-str", lambda m: a(m) ** "x"),
    ("op-lshift-float", lambda m: a(m) << 1),
    ("op-invert-float", lambda m: ~a(m)),
    # --- indexing --------------------------------------------------------------------------
    ("index-out-of-range", lambda m: a(m)[2]),
    ("index-second-axis", lambda m: a(m)[:, 5]),
    ("index-too-many", lambda m: a(m)[0, 0, 0]),
    ("index-float", lambda m: a(m)[1.0]),
    ("index-str", lambda m: a(m)["a"]),
    ("index-2**64", lambda m: a(m)[2**64]),
    ("index-2**63-second", lambda m: a(m)[0, 2**63]),
    ("index-list-out-of-range", lambda m: a(m)[[0, 2]]),
    ("index-float-array", lambda m: a(m)[np.array([1.0])]),
    ("index-mask-shape", lambda m: a(m)[np.array([True, False, True])]),
    ("index-two-ellipses", lambda m: a(m)[..., ...]),
    ("index-slice-step-zero", lambda m: a(m)[::0]),
    ("index-slice-float", lambda m: a(m)[0.5:]),
    ("index-newaxis-65", lambda m: a(m)[(None,) * 64]),
    ("index-dict", lambda m: a(m)[{}]),
    ("setitem-str", lambda m: setitem(m, 0, "x")),
    ("setitem-shape", lambda m: setitem(m, 0, np.ones(5))),
    ("setitem-out-of-range", lambda m: setitem(m, 5, 1.0)),
    ("setitem-fancy-out-of-range", lambda m: setitem(m, [5], 1.0)),
    ("setitem-complex", lambda m: setitem(m, 0, 1j)),
    ("setitem-overflow", lambda m: setitem(m, 0, 300, np.zeros(3, np.int8))),
    ("setitem-read-only", lambda m: m.broadcast_to(a(m), (2, 2, 3)).__setitem__(0, 1.0)),
    ("len-0d", lambda m: len(m.asarray(1.0))),
    ("float-of-vector", lambda m: float(a(m))),
    ("int-of-vector", lambda m: int(a(m))),
    ("bool-of-vector", lambda m: bool(a(m))),
    ("index-of-float", lambda m: operator.index(m.asarray(2.0))),
    # --- linalg ----------------------------------------------------------------------------
    ("solve-1d", lambda m: m.linalg.solve(m.zeros(3), m.zeros(3))),
    ("solve-shapes", lambda m: m.linalg.solve(a(m, SQ), m.zeros(3))),
    ("solve-singular", lambda m: m.linalg.solve(m.zeros((2, 2)), m.ones(2))),
    ("inv-non-square", lambda m: m.linalg.inv(a(m))),
    ("inv-singular", lambda m: m.linalg.inv(m.zeros((2, 2)))),
    ("inv-bool-str", lambda m: m.linalg.inv("x")),
    ("det-non-square", lambda m: m.linalg.det(a(m))),
    ("det-1d", lambda m: m.linalg.det(m.zeros(3))),
    ("cholesky-not-pd", lambda m: m.linalg.cholesky(-a(m, SQ))),
    ("cholesky-non-square", lambda m: m.linalg.cholesky(a(m))),
    ("qr-mode", lambda m: m.linalg.qr(a(m), mode="x")),
    ("qr-1d", lambda m: m.linalg.qr(m.zeros(3))),
    ("svd-1d", lambda m: m.linalg.svd(m.zeros(3))),
    ("svd-nan", lambda m: m.linalg.svd(a(m, np.array([[1.0, np.nan], [0.0, 1.0]])))),
    ("svdvals-nan", lambda m: m.linalg.svd(a(m, np.array([[np.nan, 1.0], [0.0, 1.0]])), compute_uv=False)),
    ("pinv-nan", lambda m: m.linalg.pinv(a(m, np.array([[1.0, 2.0], [np.nan, 1.0]])))),
    ("matrix-rank-nan", lambda m: m.linalg.matrix_rank(a(m, np.array([[1.0, 2.0], [np.nan, 1.0]])))),
    ("cond-nan", lambda m: m.linalg.cond(a(m, np.array([[1.0, 2.0], [np.nan, 1.0]])))),
    ("norm-2-nan", lambda m: m.linalg.norm(a(m, np.array([[1.0, 2.0], [np.nan, 1.0]])), 2)),
    ("norm-nuc-nan", lambda m: m.linalg.norm(a(m, np.array([[1.0, 2.0], [np.nan, 1.0]])), "nuc")),
    ("lstsq-nan", lambda m: m.linalg.lstsq(a(m, np.array([[1.0, 2.0], [3.0, np.nan]])), m.ones(2))),
    ("eig-nan", lambda m: m.linalg.eig(a(m, np.array([[1.0, np.nan], [0.0, 1.0]])))),
    ("eig-inf", lambda m: m.linalg.eigvals(a(m, np.array([[1.0, np.inf], [0.0, 1.0]])))),
    ("eigh-uplo", lambda m: m.linalg.eigh(a(m, SQ), UPLO="X")),
    ("eig-non-square", lambda m: m.linalg.eig(a(m))),
    ("lstsq-shapes", lambda m: m.linalg.lstsq(a(m), m.ones(3))),
    ("lstsq-3d", lambda m: m.linalg.lstsq(m.zeros((2, 2, 2)), m.ones(2))),
    ("norm-ord", lambda m: m.linalg.norm(a(m), ord="x")),
    ("norm-axis", lambda m: m.linalg.norm(a(m), axis=5)),
    ("norm-axis-duplicate", lambda m: m.linalg.norm(a(m), axis=(0, 0))),
    ("norm-matrix-ord", lambda m: m.linalg.norm(a(m), ord=3, axis=(0, 1))),
    ("matrix-power-float", lambda m: m.linalg.matrix_power(a(m, SQ), 1.5)),
    ("matrix-power-non-square", lambda m: m.linalg.matrix_power(a(m), 2)),
    ("multi-dot-one", lambda m: m.linalg.multi_dot([a(m)])),
    ("outer-2d", lambda m: m.linalg.outer(a(m), a(m))),
    ("cross-dims", lambda m: m.cross(m.zeros(4), m.zeros(4))),
    ("dot-shapes", lambda m: m.dot(a(m), a(m))),
    ("matmul-0d", lambda m: m.matmul(m.asarray(1.0), a(m))),
    ("tensordot-axes", lambda m: m.tensordot(a(m), a(m), axes=([0], [0, 1]))),
    ("einsum-subscripts", lambda m: m.einsum("ij,jk", a(m), a(m))),
    ("linalg-str-dtype", lambda m: m.linalg.inv(m.asarray(np.array([["a"]])))),
    # --- io --------------------------------------------------------------------------------
    ("load-missing", lambda m: m.load("/nonexistent_dir/x.npy")),
    ("load-bad-magic", lambda m: m.load(io.BytesIO(b"not an npy file at all"))),
    ("load-zero-dim-too-big", lambda m: load_header(
        m, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 4611686018427387904, 4611686018427387904), }")),
    ("load-65-dims", lambda m: load_header(
        m, "{'descr': '<f8', 'fortran_order': False, 'shape': " + str((0,) * 65) + ", }")),
    ("load-negative-dim", lambda m: load_header(m, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }")),
    ("save-missing-dir", lambda m: m.save("/nonexistent_dir/x.npy", a(m))),
    # --- dlpack ----------------------------------------------------------------------------
    ("dlpack-max-version-int", lambda m: a(m).__dlpack__(max_version=5)),
    ("dlpack-max-version-str", lambda m: a(m).__dlpack__(max_version=("a", "b"))),
    ("dlpack-max-version-short", lambda m: a(m).__dlpack__(max_version=(1,))),
    ("dlpack-max-version-long", lambda m: a(m).__dlpack__(max_version=(1, 0, 0))),
    ("dlpack-max-version-huge", lambda m: a(m).__dlpack__(max_version=(2**70, 0))),
    ("dlpack-device-int", lambda m: a(m).__dlpack__(dl_device=5)),
    ("dlpack-device-short", lambda m: a(m).__dlpack__(dl_device=(1,))),
    ("dlpack-device-str", lambda m: a(m).__dlpack__(dl_device=("a", "b"))),
    ("dlpack-device-gpu", lambda m: a(m).__dlpack__(dl_device=(2, 0))),
    ("dlpack-copy-str", lambda m: a(m).__dlpack__(copy="x")),
    ("dlpack-stream", lambda m: a(m).__dlpack__(stream=5)),
    ("from-dlpack-int", lambda m: m.from_dlpack(5)),
    ("from-dlpack-device", lambda m: m.from_dlpack(a(m), device="gpu")),
]

# Deliberate differences: id -> (numfuse's exception type, why).
DIFFERENT = {
    "swapaxes-huge": (IndexError, "an axis is a Python int checked against ndim (AxisError, an "
                      "IndexError): NumPy fails earlier, converting it to a C long"),
    "index-2**63-second": (IndexError, "NumPy raises OverflowError for an oversized integer inside a "
                           "tuple key but IndexError for the same integer alone; numfuse raises "
                           "IndexError for both"),
    "inv-bool-str": (TypeError, "numfuse has no string dtype: converting 'x' fails before the shape "
                     "check that gives NumPy's LinAlgError"),
}


# Calls NumPy has no function for, or cannot survive (hangs), with the type numfuse raises.
def _inf_matrix(m):
    x = np.eye(3)
    x[0, 0] = np.inf
    return a(m, x)


NUMFUSE_ONLY = [
    ("set-num-threads-2**31", lambda: nf.set_num_threads(2**31), OverflowError),  # a C int
    ("set-num-threads-10**6", lambda: nf.set_num_threads(10**6), ValueError),
    ("set-num-threads-zero", lambda: nf.set_num_threads(0), ValueError),
    ("set-num-threads-negative", lambda: nf.set_num_threads(-1), ValueError),
    ("set-num-threads-float", lambda: nf.set_num_threads(1.5), TypeError),
    ("set-num-threads-str", lambda: nf.set_num_threads("2"), TypeError),
    ("set-blas-threads-float", lambda: nf.linalg.set_blas_threads(1.5), TypeError),
    ("set-memory-pool-limit-negative", lambda: nf.set_memory_pool_limit(-1), OverflowError),
    ("set-memory-pool-limit-str", lambda: nf.set_memory_pool_limit("x"), TypeError),
    ("set-lazy-list", lambda: nf.set_lazy([]), TypeError),
    # NumPy loops forever on these (gesdd/gelsd on an infinity); numfuse refuses non-finite input.
    ("lstsq-inf", lambda: nf.linalg.lstsq(_inf_matrix(nf), nf.ones(3)), np.linalg.LinAlgError),
    ("svd-inf", lambda: nf.linalg.svd(_inf_matrix(nf)), np.linalg.LinAlgError),
    ("pinv-inf", lambda: nf.linalg.pinv(_inf_matrix(nf)), np.linalg.LinAlgError),
    # NumPy answers these with NaN / 0 / inf; numfuse's SVD refuses non-finite input everywhere.
    ("svdvals-inf", lambda: nf.linalg.svdvals(_inf_matrix(nf)), np.linalg.LinAlgError),
    ("matrix-rank-inf", lambda: nf.linalg.matrix_rank(_inf_matrix(nf)), np.linalg.LinAlgError),
    ("cond-inf", lambda: nf.linalg.cond(_inf_matrix(nf)), np.linalg.LinAlgError),
    ("norm-2-inf", lambda: nf.linalg.norm(_inf_matrix(nf), 2), np.linalg.LinAlgError),
    ("eigh-inf", lambda: nf.linalg.eigh(_inf_matrix(nf)), np.linalg.LinAlgError),
    ("eigh-nan-diagonal", lambda: nf.linalg.eigh(nf.asarray([[np.nan, 0.0], [0.0, 1.0]])), np.linalg.LinAlgError),
    # Private entry points reached by the package: still no pybind11 text.
    ("core-empty-shape-object", lambda: nf._core.empty(object(), None, "C"), TypeError),
    ("core-arange-float-length", lambda: nf._core._arange(0, 1, 1.5, np.int64), TypeError),
    ("core-linspace-str", lambda: nf._core._linspace("a", 1, 3, True, False), TypeError),
    ("core-fancy-get-bad", lambda: nf._core._fancy_get(5, [0], [], False), TypeError),
    ("core-with-layout-str", lambda: a(nf)._with_layout("x", [1], [8]), TypeError),
    ("core-broadcast-to-none", lambda: a(nf)._broadcast_to(None), TypeError),
    ("core-matmul-str", lambda: nf._core._linalg.solve("x", "y", np.float64), TypeError),
    ("core-from-capsule-int", lambda: nf._core._from_dlpack_capsule(5), TypeError),
]


def _comparable(exc_type):
    """NumPy's private subclasses (_ArrayMemoryError, _UFuncNoLoopError, ...) compare as the
    public class they derive from."""
    while exc_type.__module__.startswith("numpy._core"):
        exc_type = exc_type.__base__
    return exc_type


def _raised(call, module):
    try:
        call(module)
    except Exception as e:  # noqa: BLE001 - the exception is what the table compares
        return e
    return None


def _assert_clean_message(exc):
    text = str(exc)
    for words in PYBIND11_TEXT:
        assert words not in text, f"pybind11 text reached the user: {type(exc).__name__}: {text}"


@pytest.mark.parametrize("call", [row[1] for row in TABLE], ids=[row[0] for row in TABLE])
def test_same_exception_type_as_numpy(call, request):
    row_id = request.node.callspec.id
    expected = _raised(call, np)
    assert expected is not None, "NumPy accepts this call; the row is wrong"
    got = _raised(call, nf)
    assert got is not None, f"numfuse accepts what NumPy refuses ({type(expected).__name__}: {expected})"
    _assert_clean_message(got)
    want = DIFFERENT[row_id][0] if row_id in DIFFERENT else _comparable(type(expected))
    assert isinstance(got, want), \
        f"{type(got).__name__}: {got} (NumPy raises {type(expected).__name__}: {expected})"


@pytest.mark.parametrize("call,expected", [row[1:] for row in NUMFUSE_ONLY],
                         ids=[row[0] for row in NUMFUSE_ONLY])
def test_numfuse_only_calls(call, expected):
    threads = nf.get_num_threads()
    with pytest.raises(Exception) as info:
        call()
    _assert_clean_message(info.value)
    assert isinstance(info.value, expected), f"{type(info.value).__name__}: {info.value}"
    assert nf.get_num_threads() == threads  # a refused set_num_threads changes nothing


def test_table_is_large_and_ids_unique():
    ids = [row[0] for row in TABLE] + [row[0] for row in NUMFUSE_ONLY]
    assert len(ids) == len(set(ids))
    assert len(TABLE) + len(NUMFUSE_ONLY) >= 150
    assert set(DIFFERENT) <= set(ids)


@pytest.mark.parametrize("shape,strides", [((2,), (2**62,)), ((2,), (-2**62,)), ((3, 2), (1, 2**61)),
                                           ((2**40, 2**30), (1, 1))],
                         ids=["stride-times-itemsize", "negative-stride", "second-axis", "extent"])
def test_dlpack_capsule_whose_strides_overflow_is_refused(shape, strides):
    from test_dlpack import _capsule_name, versioned_capsule
    memory = np.arange(4.0)
    capsule, keep = versioned_capsule(memory, shape, strides)
    with pytest.raises((BufferError, ValueError)) as info:
        nf._core._from_dlpack_capsule(capsule)
    if shape[0] == 2**40:
        assert isinstance(info.value, ValueError)  # the size itself: NumPy's "array is too big"
    else:
        assert isinstance(info.value, BufferError)
    _assert_clean_message(info.value)
    assert _capsule_name(capsule) == b"dltensor_versioned"  # refused before taking ownership
    del keep


def test_failed_set_num_threads_changes_nothing():
    before = nf.get_num_threads()
    for bad in (0, -1, 2**31, 10**6):
        with pytest.raises((ValueError, OverflowError)):
            nf.set_num_threads(bad)
        assert nf.get_num_threads() == before


def test_every_bound_function_is_guarded():
    """The last-resort guard: a wrong-type call of any compiled function raises TypeError in
    numfuse's words, never pybind11's list of C++ signatures."""
    checked = 0
    for owner in (nf._core, nf._core._linalg, nf._core.ndarray):
        for name in dir(owner):
            fn = getattr(owner, name)
            if type(fn).__name__ not in ("builtin_function_or_method", "instancemethod") or \
                    name.startswith("__"):
                continue
            signature = (fn.__doc__ or "").split("\n")[0]
            if "ndarray" not in signature.split("->")[0]:
                continue  # takes no numfuse array: object() might be a valid argument
            with pytest.raises(TypeError) as info:  # the ndarray argument cannot convert
                fn(*[object()] * signature.count(": "))
            _assert_clean_message(info.value)
            checked += 1
    assert checked >= 20
