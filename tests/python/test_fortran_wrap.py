"""numfuse.fortran_wrap on the Fortran 77 corpus (tests/fortran/legacy.f), built with the CLI."""
import numpy as np
import pytest

import numfuse as nf
from fortran_wrap_util import CORPUS, FORTRAN_TEST_MARKS, build_with_cli, run_cli

pytestmark = FORTRAN_TEST_MARKS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("legacy")
    return build_with_cli("legacy", [CORPUS / "legacy.f"], out)


@pytest.fixture(scope="module")
def legacy(built):
    return built[0]


def test_progress_lines_and_skip_warning(built):
    err = built[1].stderr
    for step in ("parse", "generate", "compile", "link"):
        assert f"fortran_wrap: {step}:" in err
    assert "skipped routine 'names'" in err and "legacy.f:" in err


def test_matvec_leading_dimension_hidden_and_inferred(legacy):
    rng = np.random.default_rng(0)
    a = np.asfortranarray(rng.standard_normal((5, 3)))
    x = rng.standard_normal(3)
    y = legacy.dmatvec(5, a, x)
    assert isinstance(y, nf.ndarray)
    np.testing.assert_allclose(np.asarray(y), a @ x)
    # explicit m < lda: the leading 2 rows
    np.testing.assert_allclose(np.asarray(legacy.dmatvec(2, a, x)), a[:2] @ x)
    # numfuse arrays are accepted too
    np.testing.assert_allclose(np.asarray(legacy.dmatvec(5, nf.asarray(a), nf.asarray(x))), a @ x)


def test_docstring_is_f2py_style(legacy):
    doc = legacy.dmatvec.__doc__
    # the text numpy.f2py writes for the same routine (test_fortran_wrap_f2py compares built modules)
    assert doc == ("y = dmatvec(m,a,x,[n,lda])\n\nWrapper for ``dmatvec``.\n\nParameters\n----------\n"
                   "m : input int\na : input rank-2 array('d') with bounds (lda,*)\n"
                   "x : input rank-1 array('d') with bounds (n)\n\nOther Parameters\n----------------\n"
                   "n : input int, optional\n    Default: shape(x, 0)\nlda : input int, optional\n"
                   "    Default: shape(a, 0)\n\nReturns\n-------\ny : rank-1 array('d') with bounds (m)\n")


def test_inout_in_place_without_copy(legacy):
    dx = np.arange(4.0)
    dy = np.ones(4)
    assert legacy.daxpy2(2.0, dx, dy) is None
    np.testing.assert_allclose(dy, 1 + 2 * np.arange(4.0))
    ny = nf.ones(4)
    legacy.daxpy2(1.0, dx, ny)
    np.testing.assert_allclose(np.asarray(ny), 1 + np.arange(4.0))


@pytest.mark.parametrize("bad, reason", [
    (np.ones(4, dtype=np.float32), "wrong dtype"),
    (np.ones(8)[::2], "not contiguous"),
    ([1.0, 2.0, 3.0, 4.0], "not a writable array"),
])
def test_inout_that_needs_a_copy_raises(legacy, bad, reason):
    with pytest.raises(ValueError, match="dy") as info:
        legacy.daxpy2(1.0, np.arange(4.0)[: len(bad) if hasattr(bad, "__len__") else 4], bad)
    if reason:
        assert reason in str(info.value)


def test_inout_c_ordered_2d_is_refused(tmp_path):
    src = tmp_path / "fill.f"
    src.write_text("      SUBROUTINE FILL(M, N, A)\n      INTEGER M, N\n      DOUBLE PRECISION A(M, N)\n"
                   "Cf2py intent(inout) a\n      A(1, 2) = 5.0D0\n      END\n")
    from fortran_wrap_util import build_with_cli
    mod, _ = build_with_cli("fill", [src], tmp_path)
    with pytest.raises(ValueError, match="'a'.*C-ordered"):
        mod.fill(np.zeros((2, 3)))
    a = np.zeros((2, 3), order="F")
    mod.fill(a)
    assert a[0, 1] == 5.0


def test_function_result(legacy):
    x = np.array([3.0, 4.0])
    assert legacy.dnrm2s(x) == pytest.approx(5.0)
    assert legacy.dnrm2s(x[:1], 1) == pytest.approx(3.0)
    for n in (1, 3):   # as in f2py: a given dimension must be the array's (its check shape(x, 0) == n)
        with pytest.raises(ValueError, match=r"shape\(x, 0\) == n"):
            legacy.dnrm2s(x, n)


def test_external_function_callback_and_defaults(legacy):
    assert legacy.simpson(lambda t: t ** 3, 0.0, 2.0) == pytest.approx(4.0)
    assert legacy.simpson(np.sin, 0.0, np.pi, n=200) == pytest.approx(2.0, rel=1e-8)
    with pytest.raises(legacy.error, match=r"\(n > 0 \.and\. mod\(n, 2\) == 0\) failed for 1st keyword n: simpson:n=3"):
        legacy.simpson(np.sin, 0.0, 1.0, 3)


def test_callback_exception_propagates_after_fortran_returns(legacy):
    calls = []

    def bad(t):
        calls.append(t)
        raise KeyError("from the callback")
    with pytest.raises(KeyError, match="from the callback"):
        legacy.simpson(bad, 0.0, 1.0, 10)
    assert len(calls) == 1      # later calls were skipped, Fortran finished, the error surfaced
    assert legacy.simpson(lambda t: 1.0, 0.0, 1.0) == pytest.approx(1.0)   # state is clean


def test_callback_returning_wrong_type(legacy):
    with pytest.raises(TypeError):
        legacy.simpson(lambda t: "x", 0.0, 1.0)


def test_scalar_kinds(legacy):
    out = legacy.kinds(3, -4, 5, 2 ** 40, 1.5, 2.25, 1 + 2j, 3 - 1j, True)
    assert out == (6, -8, 10, 2 ** 41, 3.0, 4.5, 2 + 4j, 6 - 2j, False)
    with pytest.raises(OverflowError):
        legacy.kinds(200, 1, 1, 1, 1.0, 1.0, 0j, 0j, False)
    with pytest.raises(TypeError):
        legacy.kinds(1.5, 1, 1, 1, 1.0, 1.0, 0j, 0j, False)


def test_intent_out_tuple_order_and_conversion(legacy):
    s, total = legacy.cumsum([1, 2, 3, 4])            # a list converts (intent(in))
    assert isinstance(s, nf.ndarray) and s.dtype == np.float32
    np.testing.assert_allclose(np.asarray(s), np.cumsum([1, 2, 3, 4]))
    assert total == pytest.approx(10.0)


def test_common_block_attributes(legacy):
    legacy.setpar(1.5, 7)
    assert legacy.params.alpha == 1.5
    assert legacy.params.nsteps == 7
    np.testing.assert_allclose(np.asarray(legacy.params.coeffs), [1.5, 3.0, 4.5])
    legacy.params.alpha = 2.0
    legacy.params.coeffs = [1.0, 1.0, 1.0]
    assert legacy.usepar(3.0) == pytest.approx(2.0 * 3 + 7 + 3)


def test_argument_errors(legacy):
    with pytest.raises(TypeError, match="missing required argument"):
        legacy.dnrm2s()
    with pytest.raises(TypeError, match="unexpected keyword"):
        legacy.dnrm2s(np.ones(2), bogus=1)
    # f2py's rank rule: x(n) takes a (2, 2) array as its 4 values; with n given it must be 4
    assert legacy.dnrm2s(np.ones((2, 2))) == pytest.approx(2.0)
    with pytest.raises(ValueError, match=r"shape\(x, 0\) == n"):
        legacy.dnrm2s(np.ones((2, 2)), 2)


def test_rebuild_is_cache_hit(tmp_path):
    proc = run_cli(["-c", "-m", "legacy", str(CORPUS / "legacy.f")], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli(["-c", "-m", "legacy", str(CORPUS / "legacy.f")], cwd=tmp_path)
    assert "cache: hit" in proc.stderr and "fortran_wrap: compile:" not in proc.stderr


def test_gfortran_error_has_file_line_and_nonzero_exit(tmp_path):
    src = tmp_path / "broken.f90"
    src.write_text("subroutine ok(x)\n  real :: x\n  x = 1\nend subroutine\n"
                   "subroutine bad(y)\n  real :: y\n  y = undefined_thing(\nend subroutine\n")
    proc = run_cli(["-c", "-m", "broken", str(src)], cwd=tmp_path)
    assert proc.returncode != 0
    assert "broken.f90:" in proc.stderr and "Traceback" not in proc.stderr


def test_malformed_source_reports_file_and_line(tmp_path):
    src = tmp_path / "nosub.f90"
    src.write_text("subroutine s(x)\n  real :: x\n  x = 1\n")
    proc = run_cli(["-c", "-m", "nosub", str(src)], cwd=tmp_path)
    assert proc.returncode != 0
    assert "nosub.f90:1" in proc.stderr and "Traceback" not in proc.stderr


def test_only_and_skip(tmp_path):
    proc = run_cli(["-c", "-m", "onlytwo", str(CORPUS / "legacy.f"), "only:", "dnrm2s", "simpson", ":"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    from fortran_wrap_util import load
    mod = load("onlytwo", tmp_path)
    assert hasattr(mod, "dnrm2s") and hasattr(mod, "simpson") and not hasattr(mod, "dmatvec")
    proc = run_cli(["-c", "-m", "noarr", str(CORPUS / "legacy.f"), "skip:", "dmatvec", ":"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not hasattr(load("noarr", tmp_path), "dmatvec")


def test_signature_file_roundtrip(tmp_path):
    proc = run_cli(["-h", "sig.pyf", "-m", "sig", str(CORPUS / "legacy.f")], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "sig.pyf").read_text()
    assert "python module sig" in text and "subroutine dmatvec" in text
    # edit: make dnrm2s's n a required argument, then build from the signature file
    line = "integer(4),optional,intent(in),depend(x) :: n = shape(x, 0)"
    assert line in text
    text = text.replace(line, "integer(4),intent(in) :: n", 1)
    (tmp_path / "sig.pyf").write_text(text)
    proc = run_cli(["-c", "sig.pyf", str(CORPUS / "legacy.f")], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    from fortran_wrap_util import load
    mod = load("sig", tmp_path)
    assert mod.simpson(lambda t: t, 0.0, 1.0) == pytest.approx(0.5)
    np.testing.assert_allclose(np.asarray(mod.dmatvec(2, np.eye(2, order="F"), [1.0, 2.0])), [1.0, 2.0])
