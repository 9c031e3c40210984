"""nf.random gives NumPy's values bit for bit: SeedSequence, PCG64 and Generator; MT19937,
RandomState and the module-level functions. Each test draws the same thing from both libraries
with the same seed and compares with assert_array_equal (exact, NaN-aware), dtypes included."""
import numpy as np
import pytest

import numfuse as nf

SEEDS = [0, 1, 7, 42, 12345, 2**32 - 1, 2**32, 2**63 + 11, 2**128 + 3, [1, 2, 3], [2**40, 0, 9],
         list(range(11))]
LEGACY_SEEDS = [0, 1, 42, 12345, 2**32 - 1, [1, 2, 3], np.arange(700, dtype=np.int64)]


def same(nf_value, np_value):
    """Exact equality of values, shape and dtype (Python scalars compare as such)."""
    if isinstance(np_value, np.ndarray):
        got = np.asarray(nf_value)
        assert got.dtype == np_value.dtype and got.shape == np_value.shape
        np.testing.assert_array_equal(got, np_value)
    else:
        assert type(nf_value) is type(np_value), (type(nf_value), type(np_value))
        assert nf_value == np_value or (nf_value != nf_value and np_value != np_value)


def both(seed, draw):
    """draw(generator) from Generators seeded alike in both libraries."""
    same(draw(nf.random.default_rng(seed)), draw(np.random.default_rng(seed)))


def both_legacy(seed, draw):
    same(draw(nf.random.RandomState(seed)), draw(np.random.RandomState(seed)))


# ---- SeedSequence and PCG64 ------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS + [np.array([5, 6], dtype=np.uint32), np.uint64(99), (3, [4, 5])])
def test_seed_sequence_state_and_pcg64_words(seed):
    ours, theirs = nf.random.SeedSequence(seed), np.random.SeedSequence(seed)
    np.testing.assert_array_equal(ours.pool, theirs.pool)
    for dtype in (np.uint32, np.uint64):
        same(ours.generate_state(9, dtype), theirs.generate_state(9, dtype))
    same(nf.random.PCG64(seed).random_raw(50), np.random.PCG64(seed).random_raw(50))


def test_seed_sequence_spawn_and_pool_size():
    ours, theirs = nf.random.SeedSequence(5, pool_size=8), np.random.SeedSequence(5, pool_size=8)
    same(ours.generate_state(20), theirs.generate_state(20))
    for child_nf, child_np in zip(ours.spawn(3), theirs.spawn(3)):
        same(child_nf.generate_state(4), child_np.generate_state(4))
    same(nf.random.default_rng(nf.random.SeedSequence(8)).random(5),
         np.random.default_rng(np.random.SeedSequence(8)).random(5))


@pytest.mark.parametrize("bad,error", [(-1, ValueError), ([1, -2], ValueError), (1.5, TypeError),
                                       ([1, 2.5], TypeError), (object(), TypeError),
                                       ("0x1f", TypeError)])
def test_bad_seeds_raise_numpys_errors(bad, error):
    with pytest.raises(error):
        np.random.default_rng(bad)
    with pytest.raises(error):
        nf.random.default_rng(bad)


def test_pcg64_advance_and_state_round_trip():
    ours, theirs = nf.random.PCG64(3), np.random.PCG64(3)
    ours.advance(2**70 + 12345)
    theirs.advance(2**70 + 12345)
    same(ours.random_raw(5), theirs.random_raw(5))
    assert ours.state["state"] == theirs.state["state"]
    g = nf.random.default_rng(4)
    g.random(3, dtype=np.float32)  # leaves half a word buffered
    saved = g.bit_generator.state
    first = np.asarray(g.random(5, dtype=np.float32))
    g.bit_generator.state = saved
    np.testing.assert_array_equal(np.asarray(g.random(5, dtype=np.float32)), first)


# ---- Generator: floats ---------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", [None, 0, 1, 5, 1000, (3, 4)])
def test_random_float64_and_float32(seed, size):
    both(seed, lambda g: g.random(size))
    both(seed, lambda g: g.random(size, dtype=np.float32))


def test_random_mixed_widths_share_the_buffered_half_word():
    def draws(g):
        return np.concatenate([np.asarray(g.random(3, dtype=np.float32)), np.asarray(g.random(2)),
                               np.asarray(g.random(5, dtype=np.float32)),
                               np.asarray(g.integers(0, 7, 3, dtype=np.int32)).astype(np.float64),
                               np.asarray(g.standard_normal(3, dtype=np.float32)),
                               np.asarray(g.integers(0, 7, 5, dtype=np.int64)).astype(np.float64)])
    both(3, draws)


@pytest.mark.parametrize("n", [1, 2**17 * 2 + 3, 10**6 + 1])
def test_threaded_random_fill_matches_one_stream(n):
    """Large fills split the stream between threads by advancing; the values cannot change."""
    both(11, lambda g: (g.random(n), g.random(7))[0])
    both(11, lambda g: (g.random(n), g.random(7))[1])


@pytest.mark.parametrize("seed", SEEDS[:6])
def test_standard_normal_and_exponential_ziggurats(seed):
    # 2e5 draws visit every layer's wedge test and the tails many times.
    both(seed, lambda g: g.standard_normal(200_000))
    both(seed, lambda g: g.standard_normal(200_000, dtype=np.float32))
    both(seed, lambda g: g.standard_exponential(200_000))
    both(seed, lambda g: g.standard_exponential(200_000, dtype=np.float32))
    both(seed, lambda g: g.standard_normal())
    both(seed, lambda g: g.standard_exponential())


@pytest.mark.parametrize("args", [(), (1.5, 2.0, 100), (-3.0, 0.0, 10), (np.arange(4.0), 10.0),
                                  (0.0, np.array([[1.0], [2.0]]), (2, 3)), (1.0, 1.0)])
def test_normal_uniform_exponential_with_parameters(args):
    both(5, lambda g: g.normal(*args))
    both(6, lambda g: g.uniform(*args))
    both(7, lambda g: g.exponential(*args[1:2]) if len(args) > 1 else g.exponential())
    both(8, lambda g: g.exponential(2.5, size=(4, 5)))


def test_out_arrays_fill_in_memory_order():
    for make in (lambda lib: lib.zeros((3, 4)), lambda lib: lib.zeros((3, 4), order="F")):
        ours, theirs = make(nf), make(np)
        nf.random.default_rng(2).standard_normal(out=ours)
        np.random.default_rng(2).standard_normal(out=theirs)
        np.testing.assert_array_equal(np.asarray(ours), theirs)


# ---- Generator: integers ------------------------------------------------------------------

INT_DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


def bounds_for(dtype):
    info = np.iinfo(dtype)
    lo, hi = int(info.min), int(info.max)
    cases = [(0, 1), (0, 2), (0, 3), (lo, hi), (lo, hi + 1), (0, 7), (5, 100), (lo, lo + 1),
             (hi - 200 if hi > 300 else lo, hi)]
    for width in (255, 256, 2**16 - 1, 2**16, 2**16 + 1, 2**32 - 1, 2**32, 2**32 + 1, 2**40 + 3, 2**63 + 5):
        if lo + width <= hi + 1:
            cases.append((lo, lo + width))
    return cases


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("endpoint", [False, True])
def test_integers_every_dtype_and_range(dtype, endpoint):
    for low, high in bounds_for(dtype):
        if endpoint:
            high -= 1
        for seed in (0, 1, 12345):
            both(seed, lambda g: g.integers(low, high, size=257, dtype=dtype, endpoint=endpoint))
        both(3, lambda g: g.integers(low, high, dtype=dtype, endpoint=endpoint))


def test_integers_bool_single_argument_and_empty():
    both(1, lambda g: g.integers(0, 2, size=100, dtype=bool))
    both(1, lambda g: g.integers(1, 2, size=10, dtype=bool))
    both(2, lambda g: g.integers(10, size=50))
    both(2, lambda g: g.integers(-(2**63), 2**63 - 1, size=50, endpoint=True))
    both(2, lambda g: g.integers(0, 2**64, size=50, dtype=np.uint64))
    both(2, lambda g: g.integers(5, size=(0, 3)))
    both(2, lambda g: (g.integers(5, size=(0,)), g.integers(1000))[1])


@pytest.mark.parametrize("call", [lambda g: g.integers(0), lambda g: g.integers(5, 5),
                                  lambda g: g.integers(-1, 10, dtype=np.uint8),
                                  lambda g: g.integers(0, 257, dtype=np.uint8),
                                  lambda g: g.integers(0, 10, dtype=np.float64),
                                  lambda g: g.uniform(0, np.inf), lambda g: g.uniform(2, 1),
                                  lambda g: g.normal(0, -1.0), lambda g: g.exponential(-2.0),
                                  lambda g: g.random(dtype=np.int32),
                                  lambda g: g.standard_normal(dtype=np.float16)])
def test_bad_arguments_raise_numpys_error_types(call):
    with pytest.raises(Exception) as expected:
        call(np.random.default_rng(0))
    with pytest.raises(expected.type):
        call(nf.random.default_rng(0))


# ---- Generator: sequences -----------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 99])
def test_choice_permutation_shuffle_permuted(seed):
    both(seed, lambda g: g.choice(10, 20))
    both(seed, lambda g: g.choice(10))
    both(seed, lambda g: g.choice([1.5, 2.5, 3.5], size=(2, 3)))
    both(seed, lambda g: g.choice(5, 30, p=[0.1, 0.2, 0.3, 0.15, 0.25]))
    both(seed, lambda g: g.choice(100, 10, replace=False))             # Floyd
    both(seed, lambda g: g.choice(100, 10, replace=False, shuffle=False))
    both(seed, lambda g: g.choice(20_000, 1000, replace=False))        # tail shuffle
    both(seed, lambda g: g.choice(20_000, 500, replace=False, shuffle=False))
    both(seed, lambda g: g.choice(6, 4, replace=False, p=[0.1, 0.1, 0.2, 0.2, 0.3, 0.1]))
    both(seed, lambda g: g.choice(np.arange(12).reshape(3, 4), 2, axis=1))
    both(seed, lambda g: g.permutation(50))
    both(seed, lambda g: g.permutation(np.arange(24.0).reshape(6, 4)))
    both(seed, lambda g: g.permutation(np.arange(24).reshape(4, 6), axis=1))
    both(seed, lambda g: g.permuted(np.arange(24).reshape(4, 6)))
    both(seed, lambda g: g.permuted(np.arange(24).reshape(4, 6), axis=1))
    both(seed, lambda g: g.permuted(np.arange(24).reshape(4, 6), axis=0))
    for lib in (nf, np):
        x = lib.asarray(np.arange(30).reshape(10, 3))
        y = lib.asarray(np.arange(40, dtype=np.int16))
        g = (nf if lib is nf else np).random.default_rng(seed)
        g.shuffle(x)
        g.shuffle(y)
        g.shuffle(x, axis=1)
        if lib is nf:
            ours = (np.asarray(x), np.asarray(y))
        else:
            np.testing.assert_array_equal(ours[0], x)
            np.testing.assert_array_equal(ours[1], y)


# ---- RandomState and the module-level functions --------------------------------------------

@pytest.mark.parametrize("seed", LEGACY_SEEDS)
def test_random_state_floats(seed):
    both_legacy(seed, lambda r: r.random_sample(1000))
    both_legacy(seed, lambda r: r.random_sample())
    both_legacy(seed, lambda r: r.rand(3, 4))
    both_legacy(seed, lambda r: r.randn(7))
    both_legacy(seed, lambda r: (r.randn(), r.randn(3))[1])  # the cached second normal
    both_legacy(seed, lambda r: r.standard_normal(100_001))
    both_legacy(seed, lambda r: r.normal(np.arange(3.0), 2.0, size=(4, 3)))
    both_legacy(seed, lambda r: r.uniform(-2, 5, 100))
    both_legacy(seed, lambda r: r.uniform(5, -2, 10))  # high < low is allowed
    both_legacy(seed, lambda r: r.uniform())


@pytest.mark.parametrize("dtype", INT_DTYPES + [bool])
def test_randint_masked_every_dtype_and_range(dtype):
    cases = [(0, 2)] if dtype is bool else bounds_for(dtype)
    for low, high in cases:
        for seed in (0, 12345):
            both_legacy(seed, lambda r: r.randint(low, high, size=300, dtype=dtype))
        both_legacy(1, lambda r: r.randint(low, high, dtype=dtype))
    both_legacy(2, lambda r: r.randint(1000, size=20))
    both_legacy(2, lambda r: r.randint(1000))  # a Python int, as NumPy returns for dtype=int
    both_legacy(2, lambda r: r.randint(1000, dtype=np.int64))
    both_legacy(2, lambda r: r.randint(-(2**63), 2**63 - 1, size=20))


@pytest.mark.parametrize("seed", [0, 5, 2**31])
def test_random_state_sequences(seed):
    both_legacy(seed, lambda r: r.choice(10, 20))
    both_legacy(seed, lambda r: r.choice(10))
    both_legacy(seed, lambda r: r.choice([1.5, -2.0, 7.25], 5))
    both_legacy(seed, lambda r: r.choice(5, 30, p=[0.1, 0.2, 0.3, 0.15, 0.25]))
    both_legacy(seed, lambda r: r.choice(100, 10, replace=False))
    both_legacy(seed, lambda r: r.choice(6, 4, replace=False, p=[0.1, 0.1, 0.2, 0.2, 0.3, 0.1]))
    both_legacy(seed, lambda r: r.permutation(30))
    both_legacy(seed, lambda r: r.permutation(np.arange(12.0).reshape(4, 3)))
    x_nf, x_np = nf.arange(20), np.arange(20)
    nf.random.RandomState(seed).shuffle(x_nf)
    np.random.RandomState(seed).shuffle(x_np)
    np.testing.assert_array_equal(np.asarray(x_nf), x_np)


def test_module_level_functions_share_a_global_random_state():
    saved = np.random.get_state()
    try:
        for seed in (0, 123, [4, 5]):
            nf.random.seed(seed)
            np.random.seed(seed)
            same(nf.random.rand(5), np.random.rand(5))
            same(nf.random.randn(2, 3), np.random.randn(2, 3))
            same(nf.random.random(4), np.random.random(4))
            same(nf.random.random_sample(), np.random.random_sample())
            same(nf.random.randint(0, 10, 6), np.random.randint(0, 10, 6))
            same(nf.random.uniform(1, 2, 3), np.random.uniform(1, 2, 3))
            same(nf.random.normal(1, 2, 3), np.random.normal(1, 2, 3))
            same(nf.random.standard_normal(3), np.random.standard_normal(3))
            same(nf.random.choice(8, 3), np.random.choice(8, 3))
            same(nf.random.permutation(8), np.random.permutation(8))
            a, b = nf.arange(9), np.arange(9)
            nf.random.shuffle(a)
            np.random.shuffle(b)
            np.testing.assert_array_equal(np.asarray(a), b)
        state = nf.random.get_state()
        first = np.asarray(nf.random.randn(5))
        nf.random.set_state(state)
        np.testing.assert_array_equal(np.asarray(nf.random.randn(5)), first)
    finally:
        np.random.set_state(saved)


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, [], [[1, 2]], [1, -1]])
def test_bad_legacy_seeds_raise_numpys_errors(bad):
    with pytest.raises(Exception) as expected:
        np.random.RandomState(bad)
    with pytest.raises(expected.type):
        nf.random.RandomState(bad)


# ---- binomial, poisson, gamma, beta -----------------------------------------------------------

BINOMIAL_CASES = [(10, 0.3), (100, 0.02), (1000, 0.5), (50, 0.9), (10**6, 0.3), (7, 1.0), (0, 0.5),
                  (40, 0.0), (np.arange(1, 9) * 20, 0.4), (30, np.linspace(0.05, 0.95, 6))]


@pytest.mark.parametrize("n,p", BINOMIAL_CASES)
def test_binomial_inversion_and_btpe(n, p):
    size = None if np.ndim(n) or np.ndim(p) else 5000
    for seed in (0, 3):
        both(seed, lambda g: g.binomial(n, p, size))
        both_legacy(seed, lambda r: r.binomial(n, p, size))
    both(1, lambda g: g.binomial(n, p))


@pytest.mark.parametrize("lam", [0.0, 0.5, 3.0, 9.99, 10.0, 55.5, 1e5, np.array([[1.0], [30.0]])])
def test_poisson_multiplication_and_ptrs(lam):
    for seed in (0, 3):
        both(seed, lambda g: g.poisson(lam, size=(2, 5000) if np.ndim(lam) else 5000))
        both_legacy(seed, lambda r: r.poisson(lam, size=(2, 5000) if np.ndim(lam) else 5000))
    both(1, lambda g: g.poisson(lam))


@pytest.mark.parametrize("shape", [0.0, 0.3, 1.0, 2.5, 100.0, np.array([0.5, 4.0])])
def test_gamma_and_standard_gamma(shape):
    size = (3000, 2) if np.ndim(shape) else 3000
    for seed in (0, 3):
        both(seed, lambda g: g.standard_gamma(shape, size))
        both(seed, lambda g: g.gamma(shape, 2.0, size))
    both(1, lambda g: g.gamma(shape))


@pytest.mark.parametrize("a,b", [(0.5, 0.5), (0.2, 0.9), (2.0, 3.0), (0.5, 5.0), (1.0, 1.0),
                                 (np.array([0.3, 3.0]), 2.0)])
def test_beta_johnk_and_gamma_ratio(a, b):
    size = (3000, 2) if np.ndim(a) else 3000
    for seed in (0, 3):
        both(seed, lambda g: g.beta(a, b, size))
    both(1, lambda g: g.beta(a, b))
    both(2, lambda g: g.beta(a, np.nan))  # NaN passes NumPy's a, b > 0 check


@pytest.mark.parametrize("call", [lambda g: g.binomial(-1, 0.5), lambda g: g.binomial(5, 1.5),
                                  lambda g: g.binomial(5, np.nan), lambda g: g.poisson(-1.0),
                                  lambda g: g.poisson(1e20), lambda g: g.gamma(-1.0),
                                  lambda g: g.gamma(1.0, -2.0), lambda g: g.beta(0.0, 1.0),
                                  lambda g: g.beta(1.0, -np.inf)])
def test_distribution_arguments_raise_numpys_error_types(call):
    with pytest.raises(Exception) as expected:
        call(np.random.default_rng(0))
    with pytest.raises(expected.type):
        call(nf.random.default_rng(0))


# ---- samplers NumPy runs on a twin of the numfuse generator -----------------------------------

def test_other_samplers_draw_numpys_values_from_the_same_stream():
    both(4, lambda g: (g.multinomial(20, [0.2, 0.3, 0.5], size=3), g.random(3))[1])
    both(4, lambda g: g.laplace(1.0, 2.0, 5))
    both_legacy(4, lambda r: (r.exponential(2.0, 4), r.gamma(2.0, 1.0, 3), r.rand(2))[2])
    saved = np.random.get_state()
    try:
        nf.random.seed(9)
        np.random.seed(9)
        same(nf.random.exponential(size=4), np.random.exponential(size=4))
        same(nf.random.rand(3), np.random.rand(3))  # the global stream moved on in step
    finally:
        np.random.set_state(saved)
    with pytest.raises(AttributeError):
        nf.random.default_rng(0).no_such_sampler


def test_array_bounds_and_other_variants_come_from_the_numpy_twin():
    both(5, lambda g: (g.integers([0, 10], [5, 1000], size=(3, 2)), g.integers(0, 9, 4))[0])
    both(5, lambda g: (g.integers([0, 10], [5, 1000], size=(3, 2)), g.integers(0, 9, 4))[1])
    both(5, lambda g: g.standard_gamma(2.0, 10, dtype=np.float32))
    both(5, lambda g: g.standard_exponential(10, method="inv"))
    both_legacy(5, lambda r: (r.randint([0, 10], [5, 1000]), r.randint(9, size=4))[1])


@pytest.mark.parametrize("seed", [0, 1, 12345])
@pytest.mark.parametrize("n", [0, 1, 2, 9, 64])
def test_shuffle_lists_and_numpy_arrays_in_place(seed, n):
    """shuffle takes what NumPy's takes: a list (same swaps, so the same order) and a NumPy array
    (shuffled in its own memory); a tuple is a TypeError as in NumPy."""
    for ours, theirs in ((nf.random.default_rng(seed), np.random.default_rng(seed)),
                         (nf.random.RandomState(seed), np.random.RandomState(seed))):
        got, want = list(range(n)), list(range(n))
        ours.shuffle(got)
        theirs.shuffle(want)
        assert got == want
        got_np, want_np = np.arange(3.0 * n).reshape(n, 3), np.arange(3.0 * n).reshape(n, 3)
        ours.shuffle(got_np)
        theirs.shuffle(want_np)
        np.testing.assert_array_equal(got_np, want_np)
        with pytest.raises(TypeError):
            ours.shuffle((1, 2, 3))
