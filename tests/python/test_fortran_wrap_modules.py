"""numfuse.fortran_wrap on the Fortran 90 corpus (tests/fortran/physics.f90, nested.f90)."""
import threading

import numpy as np
import pytest

import numfuse as nf
from fortran_wrap_util import CORPUS, FORTRAN_TEST_MARKS, build_with_cli

pytestmark = FORTRAN_TEST_MARKS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_with_cli("physics", [CORPUS / "physics.f90"], tmp_path_factory.mktemp("physics"))


@pytest.fixture(scope="module")
def phys(built):
    return built[0].physics


def test_unsupported_routine_skipped_with_warning(built):
    assert "skipped routine 'with_pointer'" in built[1].stderr
    assert not hasattr(built[0].physics, "with_pointer")


def test_module_variables_read_write(phys):
    assert phys.gravity == pytest.approx(9.81)
    phys.gravity = 1.62
    assert phys.gravity == pytest.approx(1.62)
    assert phys.verbose is False
    phys.verbose = True
    assert phys.verbose is True
    assert phys.label == "default"
    phys.label = "moon"
    assert phys.label == "moon"


def test_parameters_are_read_only(phys):
    assert phys.pi == pytest.approx(np.pi)
    assert phys.dp == 8
    with pytest.raises(AttributeError, match="read-only"):
        phys.pi = 3.0


def test_fixed_module_array_is_a_view(phys):
    phys.table = np.arange(6.0).reshape(3, 2)
    t = phys.table
    assert isinstance(t, nf.ndarray) and t.shape == (3, 2)
    np.testing.assert_allclose(np.asarray(t), np.arange(6.0).reshape(3, 2))
    np.asarray(t)[0, 0] = 42.0        # writes through to Fortran memory
    assert np.asarray(phys.table)[0, 0] == 42.0


def test_allocatable_module_arrays(phys):
    phys.field = None
    assert phys.field is None
    assert phys.field_sum() == -1
    phys.fill_field(3, 2)
    expect = 10 * np.arange(1, 4)[:, None] + np.arange(1, 3)[None, :]
    np.testing.assert_allclose(np.asarray(phys.field), expect)
    phys.field = np.ones((4, 5))       # allocate from Python by assignment
    assert phys.field.shape == (4, 5)
    assert phys.field_sum() == 20.0
    phys.ids = [1, 2, 3]
    assert phys.ids.dtype == np.int32
    np.testing.assert_array_equal(np.asarray(phys.ids), [1, 2, 3])
    with pytest.raises(ValueError, match="rank"):
        phys.field = np.ones(3)


def test_assumed_shape_strided_without_copy(phys):
    base = np.asfortranarray(np.arange(24.0).reshape(4, 6))
    view = base[::2, 1::2]                       # strided: passed through a C descriptor
    before = phys.counter
    phys.scale_inplace(view, 10.0)
    assert phys.counter == before + 1
    expect = np.arange(24.0).reshape(4, 6)
    expect[::2, 1::2] *= 10
    np.testing.assert_allclose(base, expect)
    # C-ordered arrays are strided arrays too: accepted without copy
    c = np.arange(6.0).reshape(2, 3)
    phys.scale_inplace(c, 2.0)
    np.testing.assert_allclose(c, 2 * np.arange(6.0).reshape(2, 3))
    n = nf.asarray(np.arange(6.0).reshape(2, 3))[:, ::2]
    phys.scale_inplace(n, 3.0)
    np.testing.assert_allclose(np.asarray(n), 3 * np.arange(6.0).reshape(2, 3)[:, ::2])


def test_assumed_shape_inout_wrong_dtype_raises(phys):
    with pytest.raises(ValueError, match="'a'.*wrong dtype"):
        phys.scale_inplace(np.ones((2, 2), dtype=np.float32), 2.0)


def test_assumed_shape_in_and_negative_strides(phys):
    v = np.arange(10.0)
    assert phys.total(v[::-3]) == pytest.approx(v[::-3].sum())
    assert phys.total([1, 2, 3]) == 6.0


def test_complex_and_logical(phys):
    z = np.array([1 + 1j, 2 - 1j])
    w = phys.rotate(z, np.pi / 2)
    np.testing.assert_allclose(np.asarray(w), z * 1j, atol=1e-12)
    s = phys.csum(np.array([1 + 2j, 3 - 1j], dtype=np.complex64))
    assert s == pytest.approx(4 + 1j)
    # as f2py: a logical result is a Python int
    assert [phys.is_positive(2.0), phys.is_positive(-1.0)] == [1, 0] and type(phys.is_positive(2.0)) is int


def test_characters_in_and_out(phys):
    assert phys.greet("numfuse") == "Hello, numfuse!"
    assert phys.upper("abc Def") == "ABC DEF"


def test_f90_callback_with_interface(phys):
    assert phys.integrate(np.cos, 0.0, np.pi / 2, 2000) == pytest.approx(1.0, rel=1e-6)
    assert phys.count_calls(lambda x: x, 1000) == 1000


def test_callback_with_array_arguments(phys):
    # f2py's convention: the intent(out) fx is returned; the dimension n is passed only when the
    # function takes it (after the required arguments)
    y = phys.apply_vector(lambda x: x ** 2, np.arange(5.0))
    np.testing.assert_allclose(np.asarray(y), np.arange(5.0) ** 2)
    seen = []

    def f(x, n):
        seen.append(n)
        return np.sin(x)
    y = phys.apply_vector(f, np.arange(5.0))
    np.testing.assert_allclose(np.asarray(y), np.sin(np.arange(5.0)))
    assert seen == [5]


def test_callback_exception(phys):
    with pytest.raises(RuntimeError, match="boom"):
        phys.integrate(lambda x: (_ for _ in ()).throw(RuntimeError("boom")), 0.0, 1.0, 10)


def test_nested_callbacks_double_integral(phys):
    # integral over [0,1]x[0,2] of x*y**2 = 1/2 * 8/3
    inner = lambda x: phys.integrate(lambda y: x * y * y, 0.0, 2.0, 200)
    assert phys.integrate(inner, 0.0, 1.0, 200) == pytest.approx(4.0 / 3.0, rel=1e-4)


def test_threads_with_different_callbacks(phys):
    results, errors = {}, []

    def work(k):
        try:
            for _ in range(20):
                r = phys.integrate(lambda x: k * x, 0.0, 1.0, 500)
                assert r == pytest.approx(k / 2), (k, r)
            results[k] = r
        except Exception as e:   # noqa: BLE001 - reported below
            errors.append(e)
    threads = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == pytest.approx({k: k / 2 for k in range(1, 5)})


def test_derived_type_objects(phys):
    p = phys.particle()
    assert p.mass == 1.0 and p.id == 0 and p.active is True
    p.mass = 2.0
    assert phys.kinetic(p, 3.0) == pytest.approx(9.0)
    phys.move(p, [1.0, 2.0, 3.0])
    phys.move(p, np.ones(3))
    np.testing.assert_allclose(np.asarray(p.pos), [2.0, 3.0, 4.0])
    assert p.id == 2
    q = phys.make_particle(5.0, 7)
    assert isinstance(q, phys.particle) and (q.mass, q.id, q.active) == (5.0, 7, False)
    r = phys.particle(mass=3.0, id=4)
    assert "mass=3.0" in repr(r)
    with pytest.raises(TypeError, match="particle"):
        phys.kinetic(1.0, 2.0)


def test_lazy_numfuse_input_is_evaluated(phys):
    y = nf.asarray(np.arange(4.0)) + 1          # possibly a pending expression
    assert phys.total(y) == pytest.approx(10.0)
