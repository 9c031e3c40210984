"""Dummy arguments that need an explicit interface, outside and inside modules (issue 11 #5,
issue 12 §4): assumed shape, OPTIONAL, VALUE, ALLOCATABLE, POINTER, CONTIGUOUS, TARGET, bind(c).

tests/fortran/dummy_kinds.f90 holds external procedures; the same text wrapped in a module is the
second variant, so each test runs on both. Values are compared with NumPy's on the same input.
"""
import numpy as np
import pytest

import numfuse as nf
from fortran_wrap_util import CORPUS, FORTRAN_TEST_MARKS, build_with_cli

pytestmark = FORTRAN_TEST_MARKS

SOURCE = (CORPUS / "dummy_kinds.f90").read_text()


@pytest.fixture(scope="module", params=["external", "module"])
def dk(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    if request.param == "external":
        mod, _ = build_with_cli("dk_ext", [CORPUS / "dummy_kinds.f90"], out)
        return mod
    (out / "dk_mod.f90").write_text(f"module dk_mod\ncontains\n{SOURCE}\nend module dk_mod\n")
    mod, _ = build_with_cli("dk_in_mod", [out / "dk_mod.f90"], out)
    return mod.dk_mod


def inc_expected(a):
    i = np.arange(1, a.shape[0] + 1)[:, None]
    j = np.arange(1, a.shape[1] + 1)[None, :]
    return a + 10 * i + j


# -- assumed shape (issue 11, reproducer 5) -------------------------------------------------------
@pytest.mark.parametrize("x", [np.arange(5.0), np.arange(11.0)[::-3], nf.arange(7.0)[1::2], np.zeros(0)])
def test_assumed_shape_in(dk, x):
    assert dk.total(x) == np.sum(np.asarray(x))


@pytest.mark.parametrize("layout", ["F", "C", "strided", "reversed"])
def test_assumed_shape_inout_writes_the_callers_memory(dk, layout):
    base = np.arange(48.0).reshape(6, 8)
    view = {"F": np.asfortranarray(base[:2, :3]), "C": base[:2, :3].copy(), "strided": base[::2, ::3],
            "reversed": base[::-2, ::-3]}[layout]
    whole = base.copy()
    expected = inc_expected(view)
    assert dk.inc(view) is None
    np.testing.assert_array_equal(view, expected)
    if layout in ("strided", "reversed"):   # only the viewed elements changed
        sel = (slice(None, None, 2), slice(None, None, 3)) if layout == "strided" else (slice(None, None, -2), slice(None, None, -3))
        whole[sel] = expected
        np.testing.assert_array_equal(base, whole)


def test_assumed_shape_inout_numfuse_view(dk):
    a = nf.zeros((4, 6))
    v = a[1::2, ::2]
    dk.inc(v)
    expected = np.zeros((4, 6))
    expected[1::2, ::2] = inc_expected(np.zeros((2, 3)))
    np.testing.assert_array_equal(np.asarray(a), expected)


# -- OPTIONAL ----------------------------------------------------------------------------------------
def test_optional_absent_when_omitted_or_none(dk):
    x = np.arange(1.0, 4.0)
    y, mask = dk.opt_axpy(x)
    np.testing.assert_array_equal(y, x)
    assert mask == 0
    y, mask = dk.opt_axpy(x, None, None, None, None, None)
    assert mask == 0


def test_optional_present(dk):
    x = np.arange(1.0, 4.0)
    w = np.array([2.0, 3.0, 4.0, 99.0])
    shift = np.arange(0.0, 12.0, 4.0)
    y, mask = dk.opt_axpy(x, alpha=0.5)
    np.testing.assert_array_equal(y, 0.5 * x)
    assert mask == 1
    y, mask = dk.opt_axpy(x, w=w)
    np.testing.assert_array_equal(y, x * w[:3])
    assert mask == 2
    y, mask = dk.opt_axpy(x, shift=shift[::1])
    np.testing.assert_array_equal(y, x + shift)
    assert mask == 4
    y, mask = dk.opt_axpy(x, 2.0, w, shift, True, "abc  ")
    np.testing.assert_array_equal(y, -(2.0 * x * w[:3] + shift))
    assert mask == 1 + 2 + 4 + 8 + 16 * 3
    y, mask = dk.opt_axpy(x, negate=False)
    np.testing.assert_array_equal(y, x)
    assert mask == 8


def test_optional_signature(dk):
    assert dk.opt_axpy.__doc__.splitlines()[0] == "y,mask = opt_axpy(x,[alpha,w,shift,negate,tag])"


def test_optional_wrong_argument_is_named(dk):
    with pytest.raises(ValueError, match="'shift'.*dimensions"):
        dk.opt_axpy(np.arange(3.0), shift=np.zeros((3, 1)))
    with pytest.raises(TypeError, match="'alpha'"):
        dk.opt_axpy(np.arange(3.0), alpha="x")


# -- VALUE --------------------------------------------------------------------------------------------
def test_value_arguments(dk):
    # n = n + 1; x = x * n inside: copies, so 2, 1.5 -> 4.5
    assert dk.vcombine(2, 1.5, False) == 4.5
    assert dk.vcombine(2, 1.5, True) == -4.5
    assert dk.vcombine(np.int32(-1), 3.0, 0) == 0.0
    with pytest.raises(OverflowError, match="'n'"):
        dk.vcombine(2**40, 1.0, False)


def test_bind_c_routine_with_a_label(dk):
    x = np.arange(4.0)
    dk.cscale(x, 2.5)
    np.testing.assert_array_equal(x, np.arange(4.0) * 2.5)


# -- ALLOCATABLE -------------------------------------------------------------------------------------
def test_allocatable_output_is_a_numfuse_array(dk):
    g = dk.make_grid(3, 4)
    assert isinstance(g, nf.ndarray)
    expected = 10 * np.arange(1, 4)[:, None] + np.arange(1, 5)[None, :]
    np.testing.assert_array_equal(np.asarray(g), expected.astype(np.float64))
    assert g.dtype == np.float64 and g.shape == (3, 4)
    assert dk.make_grid(0, 2).shape == (0, 2)
    assert dk.make_grid(-1, 2) is None   # left unallocated


def test_allocatable_inout_reallocated(dk):
    a = np.array([1, 2, 3], dtype=np.int32)
    b = dk.grow(a)
    np.testing.assert_array_equal(b, np.append(a, a.sum()))
    np.testing.assert_array_equal(a, [1, 2, 3])   # the caller's array is copied in, not changed
    np.testing.assert_array_equal(dk.grow(None), [1])
    np.testing.assert_array_equal(dk.grow(nf.asarray(np.arange(8, dtype=np.int32))[::2]), [0, 2, 4, 6, 12])


def test_allocatable_in(dk):
    assert dk.alloc_sum(None) == -1.0
    a = np.arange(12.0).reshape(4, 3)
    assert dk.alloc_sum(a) == a[:, 0].sum() + 100 * 3
    assert dk.alloc_sum(a[::2, ::-1]) == a[::2, ::-1][:, 0].sum() + 100 * 3
    with pytest.raises(ValueError, match="'a'.*dimensions"):
        dk.alloc_sum(np.zeros(3))


# -- CONTIGUOUS, TARGET -------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [np.arange, nf.arange])
def test_contiguous_dummy_gets_a_strided_view(dk, make):
    c = make(10.0)
    dk.contig_scale(c[1::3], 3.0)
    expected = np.arange(10.0)
    expected[1::3] *= 3.0
    np.testing.assert_array_equal(np.asarray(c), expected)


def test_target_dummy(dk):
    assert dk.target_last(np.arange(7.0)[::3]) == 6.0


# -- POINTER ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [np.arange, nf.arange])
def test_pointer_associated_with_the_callers_memory(dk, make):
    a = make(12.0).reshape(3, 4)
    assert dk.ptr_scale(a[::2, 1::2], 2.0) is None   # any strides, no copy: written in place
    expected = np.arange(12.0).reshape(3, 4)
    expected[::2, 1::2] *= 2.0
    np.testing.assert_array_equal(np.asarray(a), expected)
    assert dk.ptr_scale(None, 2.0) is None          # None: disassociated


def test_pointer_repointed_by_the_routine(dk):
    x = np.arange(10.0)
    p, n = dk.ptr_every_other(x)
    assert n == 10 and x[0] == 1.0                  # lbound 1 inside, as Fortran's
    np.testing.assert_array_equal(p, x[::2])
    x[2] = -5.0                                     # p views the caller's memory ...
    assert p[1] == -5.0
    del x
    import gc
    gc.collect()
    np.testing.assert_array_equal(p, [1.0, -5.0, 4.0, 6.0, 8.0])   # ... and keeps it alive
    assert dk.ptr_every_other(None) == (None, -1)


def test_pointer_made_by_the_routine(dk):
    p = dk.ptr_new(4)
    assert isinstance(p, nf.ndarray)
    np.testing.assert_array_equal(p, 10.0 * np.arange(1, 5))
    assert dk.ptr_new(-1) is None


def test_callback_beside_an_assumed_shape_array(dk):
    x = np.arange(6.0)[::-2]
    np.testing.assert_array_equal(dk.apply_fn(np.square, x), np.square(x))


@pytest.mark.parametrize("absent", [(), (None,)])
def test_optional_procedure_argument(dk, absent):
    x = np.arange(4.0)[::-1]
    np.testing.assert_array_equal(dk.maybe_apply(x, *absent), -x)
    np.testing.assert_array_equal(dk.maybe_apply(x, np.exp), np.exp(x))


def test_procedure_dummies_from_an_abstract_interface_in_a_module(tmp_path):
    mod, _ = build_with_cli("procargs", [CORPUS / "procedure_args.f90"], tmp_path)
    assert mod.fn_kinds.integrate(np.cos, 0.0, 1.0, 1000) == pytest.approx(np.sin(1.0), abs=1e-6)
    x = np.linspace(0.0, 1.0, 5)
    np.testing.assert_array_equal(mod.tabulate(x, lambda t: t * t), x * x)
    np.testing.assert_array_equal(mod.tabulate(x), x)


# -- the shim: an interface block where (and only where) a dummy needs one ----------------------------
def test_external_routines_get_an_explicit_interface_only_when_needed(tmp_path):
    from numfuse.fortran_wrap.gen_fortran import generate_fortran
    from numfuse.fortran_wrap.parse import parse_sources
    src = tmp_path / "plain.f"
    src.write_text("      subroutine plain(n, x)\n      integer n\n      double precision x(n)\n"
                   "      x(1) = n\n      end\n")
    iface, _ = parse_sources("mixed", [str(CORPUS / "dummy_kinds.f90"), str(src)])
    shim = generate_fortran(iface)
    assert "external :: plain" in shim
    for name in ("total", "inc", "opt_axpy", "vcombine", "make_grid", "grow", "alloc_sum", "contig_scale",
                 "target_last", "cscale", "ptr_scale", "ptr_every_other", "ptr_new", "apply_fn", "maybe_apply"):
        assert f"external :: {name}" not in shim
    assert "subroutine total(v, s)" in shim and "real(8) :: v(:)" in shim
    assert "bind(c, name='nfw_dummy_kinds_cscale')" in shim
    assert "real(8), allocatable, intent(out) :: g(:,:)" in shim
    assert "real(8), pointer, intent(inout) :: p(:)" in shim
    assert "real(8), external :: f" in shim and "real(8), external, optional :: f" in shim


# -- numpy.f2py on the same source, where it can -----------------------------------------------------
F2PY_BUILDS = ["total", "inc", "vcombine", "target_last"]   # f2py fails on the others (see below)


@pytest.fixture(scope="module")
def f2py_dk(tmp_path_factory):
    from fortran_wrap_util import build_with_f2py
    out = tmp_path_factory.mktemp("f2py")
    return build_with_f2py("dk_f2py", [CORPUS / "dummy_kinds.f90", "only:", *F2PY_BUILDS, ":"], out)


def test_same_signatures_and_values_as_f2py(dk, f2py_dk):
    # Beyond f2py on this file: its wrapper does not compile for ALLOCATABLE dummies, links
    # `cscale_` instead of the bind(c) label, raises for every call of opt_axpy (its optional w(*))
    # and refuses non-contiguous views for assumed-shape intent(inout).
    for name in F2PY_BUILDS:
        assert getattr(dk, name).__doc__.splitlines()[0] == getattr(f2py_dk, name).__doc__.splitlines()[0]
    x = np.arange(5.0)
    assert dk.total(x) == f2py_dk.total(x)
    ours, theirs = np.zeros((2, 3), order="F"), np.zeros((2, 3), order="F")
    dk.inc(ours)
    f2py_dk.inc(theirs)
    np.testing.assert_array_equal(ours, theirs)
    assert dk.vcombine(2, 1.5, True) == f2py_dk.vcombine(2, 1.5, True)
    v = np.arange(7.0)[::3]
    assert dk.target_last(v) == f2py_dk.target_last(v)
