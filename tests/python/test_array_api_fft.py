"""numfuse.fft, the array API's fft extension, against NumPy 2's numpy.fft: values, the standard's
dtype rules (complex64 stays complex64, float32 gives complex64, inverse real transforms give the
real dtype), n/s, axis/axes, norm, out=; fftfreq/rfftfreq (d, dtype, device) and the shifts."""
import numpy as np
import pytest

import numfuse as nf

RNG = np.random.default_rng(7)
REAL = RNG.standard_normal((4, 6, 5))
COMPLEX = REAL + 1j * RNG.standard_normal((4, 6, 5))
FLOAT_TYPES = [np.float32, np.float64]
COMPLEX_TYPES = [np.complex64, np.complex128]
NORMS = [None, "backward", "ortho", "forward"]


def inputs(dtype):
    base = (COMPLEX if np.dtype(dtype).kind == "c" else REAL).astype(dtype)
    return [base, base[:, ::-2, 1:]]  # contiguous and a strided view


def close(got, want):
    assert isinstance(got, nf.ndarray)
    assert got.dtype == want.dtype and got.shape == want.shape
    tol = 2e-4 if want.dtype in (np.float32, np.complex64) else 1e-12
    np.testing.assert_allclose(np.asarray(got), want, rtol=tol, atol=tol * 10)


def both(name, a, **kwargs):
    """nf.fft.<name> on a numfuse array of `a` and np.fft.<name> on `a`."""
    return getattr(nf.fft, name)(nf.asarray(a), **kwargs), getattr(np.fft, name)(a, **kwargs)


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"])
@pytest.mark.parametrize("dtype", FLOAT_TYPES + COMPLEX_TYPES)
def test_one_dimensional(name, dtype):
    if name in ("rfft", "ihfft") and np.dtype(dtype).kind == "c":
        return  # real-input transforms: a complex input is a TypeError in NumPy
    for a in inputs(dtype):
        for n, axis, norm in [(None, -1, None), (4, 0, "ortho"), (9, 1, "forward"), (None, -2, "backward")]:
            got, want = both(name, a, n=n, axis=axis, norm=norm)
            close(got, want)


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn", "fft2", "ifft2", "rfft2", "irfft2"])
@pytest.mark.parametrize("dtype", [np.float32, np.complex64, np.float64])
def test_n_dimensional(name, dtype):
    if name.startswith("rfft") and np.dtype(dtype).kind == "c":
        return
    for a in inputs(dtype):
        for s, axes, norm in [(None, None, None), ((3, 4), (0, 2), "ortho"), ((5, 2), (-1, -2), "forward")]:
            if name.endswith("2") and axes is None:
                axes = (-2, -1)
            got, want = both(name, a, s=s, axes=axes, norm=norm)
            close(got, want)


def test_standard_dtype_rules():
    # the spec: complex64 in, complex64 out; real float32 in, complex64 out; inverse real: float32
    f32, c64 = nf.ones(8, dtype=nf.float32), nf.ones(8, dtype=nf.complex64)
    assert nf.fft.fft(c64).dtype == np.complex64 and nf.fft.ifftn(c64).dtype == np.complex64
    assert nf.fft.rfft(f32).dtype == np.complex64 and nf.fft.rfftn(f32).dtype == np.complex64
    assert nf.fft.irfft(c64).dtype == np.float32 and nf.fft.hfft(c64).dtype == np.float32
    assert nf.fft.ihfft(f32).dtype == np.complex64
    assert nf.fft.fft(nf.ones(8)).dtype == np.complex128


def test_input_pending_work_and_out():
    a = nf.asarray(REAL[0])
    pending = a * 2 + 1  # lazy work runs before NumPy reads the view
    close(nf.fft.fft(pending, axis=0), np.fft.fft(REAL[0] * 2 + 1, axis=0))
    out = nf.empty((6, 5), dtype=nf.complex128)
    assert nf.fft.fft(a, axis=0, out=out) is out
    close(out, np.fft.fft(REAL[0], axis=0))


def test_errors_match_numpy():
    a = REAL[0]
    for call in (lambda m, x: m.fft.fft(x, n=0), lambda m, x: m.fft.fft(x, axis=2),
                 lambda m, x: m.fft.rfft(x.astype(complex)), lambda m, x: m.fft.fft(x, norm="bad"),
                 lambda m, x: m.fft.fftn(x, s=(2,), axes=(0, 1))):
        with pytest.raises(Exception) as want:
            call(np, a)
        with pytest.raises(want.type):
            call(nf, nf.asarray(a))


@pytest.mark.parametrize("n", [1, 2, 7, 8])
@pytest.mark.parametrize("d", [1.0, 0.25, 3])
def test_frequencies(n, d):
    for name in ("fftfreq", "rfftfreq"):
        got, want = getattr(nf.fft, name)(n, d), getattr(np.fft, name)(n, d)
        close(got, want)
        got32 = getattr(nf.fft, name)(n, d=d, dtype=nf.float32, device="cpu")
        close(got32, want.astype(np.float32))
    with pytest.raises(ValueError):
        nf.fft.fftfreq(n, device="gpu")
    with pytest.raises(ValueError):
        nf.fft.rfftfreq(2.5)  # n must be an integer (NumPy's ValueError)


@pytest.mark.parametrize("axes", [None, 0, (1,), (0, 2), (-1, 0)])
def test_shifts(axes):
    a = np.arange(4 * 5 * 3.0).reshape(4, 5, 3)
    for name in ("fftshift", "ifftshift"):
        got, want = both(name, a, axes=axes)
        close(got, want)
        assert np.array_equal(np.asarray(nf.fft.ifftshift(nf.fft.fftshift(nf.asarray(a), axes=axes),
                                                          axes=axes)), a)
