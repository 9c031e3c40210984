"""Every numfuse handle onto the same memory sees the same pending readers (issue 11, item 4).

A lazy expression reading some memory must keep the values of the line that wrote it, whichever
handle later writes into that memory: a DLPack import of a numfuse array, NumPy's view of it
wrapped back, two wraps of one NumPy array, overlapping slices of it, an out= argument. Each
test runs the same code with NumPy (eager, the oracle) and with numfuse (lazy).
"""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import numfuse as nf


# Two handles onto one memory: (first, second) = route(lib, base NumPy array).
ROUTES = {
    "from_dlpack": lambda lib, n: (lambda a: (a, lib.from_dlpack(a)))(lib.array(n)),
    "from_dlpack of a view": lambda lib, n: (lambda a: (a, lib.from_dlpack(a[1:])))(lib.array(n)),
    "asarray(np.asarray(a))": lambda lib, n: (lambda a: (a, lib.asarray(np.asarray(a))))(lib.array(n)),
    "asarray(np.from_dlpack(a))": lambda lib, n: (lambda a: (a, lib.asarray(np.from_dlpack(a))))(lib.array(n)),
    "asarray(memoryview(a))": lambda lib, n: (lambda a: (a, lib.asarray(memoryview(a))))(lib.array(n)),
    "export of a pending result": lambda lib, n: (lambda a: (a, lib.asarray(np.asarray(a))))(lib.array(n) * 1),
    "two wraps of one NumPy array": lambda lib, n: (lib.asarray(n), lib.asarray(n)),
    "wraps of two NumPy views": lambda lib, n: (lib.asarray(n[:]), lib.asarray(n[::1])),
    "wrap and a reversed wrap": lambda lib, n: (lib.asarray(n), lib.asarray(n[::-1])),
}

# Writes through a handle h.
WRITES = {
    "setitem": lambda lib, h: h.__setitem__(0, 100),
    "slice setitem": lambda lib, h: h.__setitem__(slice(1, 3), [7, 8]),
    "in-place operator": lambda lib, h: h.__iadd__(1),
    "out= itself": lambda lib, h: lib.multiply(h, 3, out=h),
    "out= a NumPy view of it": lambda lib, h: lib.subtract(h, 1, out=np.asarray(h)),
}

def readers(lib, r):
    """Lazy readers of a handle r (NumPy computes them at once)."""
    return [r * 2, r[::-1] + r, lib.maximum(r, 2.5), r.sum(), (r + 1).max()]


def program(lib, route, write, write_through_second):
    first, second = ROUTES[route](lib, np.arange(6.0))
    reader_of, writer = (first, second) if write_through_second else (second, first)
    pending = readers(lib, reader_of)
    WRITES[write](lib, writer)
    return pending + [first, second]


def assert_same(numpy_values, numfuse_values):
    for expected, got in zip(numpy_values, numfuse_values, strict=True):
        got = np.asarray(got)
        assert got.dtype == np.asarray(expected).dtype
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("direction", ["write through the second handle", "write through the first"])
def test_pending_readers_see_the_values_of_their_line(route, write, direction):
    through_second = direction == "write through the second handle"
    assert_same(program(np, route, write, through_second), program(nf, route, write, through_second))


def test_issue_reproducer():
    a = nf.arange(5.0)
    a2 = nf.from_dlpack(a)
    b = a * 2
    a2[0] = 100
    assert b[0] == 0.0
    n = np.arange(5.0)
    x, y = nf.asarray(n), nf.asarray(n)
    c = x * 2
    y[0] = 100
    assert c[0] == 0.0


def overlapping_slices(lib):
    n = np.arange(12.0)
    x = lib.asarray(n[0:6])      # elements 0..5
    y = lib.asarray(n[4:10])     # 4..9: overlaps x and z
    z = lib.asarray(n[8:12])     # 8..11
    even, odd = lib.asarray(n[::2]), lib.asarray(n[1::2])  # interleaved: no common element
    bx, bz, be = x * 2, z + 1, even * 10
    y[0] = 100    # n[4]: inside x
    y[-1] = -1    # n[9]: inside z
    odd[:] = 0    # leaves even's elements alone
    bx2 = x * 2   # recorded after the writes: sees them
    x[:] = 5
    return [bx, bz, be, bx2, x, y, z, even, odd, n]


def test_overlapping_but_different_slices():
    assert_same(overlapping_slices(np), overlapping_slices(nf))


def inplace_update_then_another_handle(lib):
    a = lib.zeros(4)
    exported = np.asarray(a)
    a += 1                      # lazy in numfuse: no other numfuse handle exists yet
    b = lib.asarray(exported)   # a new handle: must see a's pending update
    seen = b * 1
    a += b                      # an alias exists now: numfuse writes at once
    c = b + 0
    b *= 3
    return [seen, c, a, b]


def test_pending_in_place_work_is_visible_through_a_new_handle():
    assert_same(inplace_update_then_another_handle(np), inplace_update_then_another_handle(nf))


def out_is_another_handle(lib):
    n = np.arange(6.0)
    x, y = lib.asarray(n), lib.asarray(n[::-1])
    b = x * 2
    lib.add(y, 10, out=y)       # out= and input: the same handle
    c = x + 0
    lib.multiply(x, 2, out=y)   # out= overlapping its input in another layout (reversed)
    return [b, c, x, y]


def test_out_is_another_handle_of_the_memory():
    assert_same(out_is_another_handle(np), out_is_another_handle(nf))


def reader_of_a_dead_handle(lib):
    n = np.arange(5.0)
    x = lib.asarray(n)
    b = x * 2
    del x                       # the handle dies; its pending reader lives on in b
    y = lib.asarray(n)
    y[:] = -1
    return [b, y]


def test_reader_outlives_the_handle_it_read():
    assert_same(reader_of_a_dead_handle(np), reader_of_a_dead_handle(nf))


def test_threads_wrapping_and_writing_concurrently():
    def work(seed):
        rng = np.random.default_rng(seed)
        for _ in range(200):
            n = rng.integers(0, 100, size=64).astype(np.float64)
            expected = n * 2
            x, y = nf.asarray(n), nf.asarray(n[16:48])
            b = x * 2
            y[:] = -1
            np.testing.assert_array_equal(np.asarray(b), expected)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(4)))  # re-raises the first failure here


def copy_then_numpy_writes(lib):
    n = np.arange(6)
    copies = [lib.array(n), lib.array(n, dtype=np.float32), lib.array(n[::-1]), lib.array(n[::2], copy=True)]
    n[:] = -1   # NumPy writes its own memory: the copies were taken before
    return copies


def test_array_copies_numpy_memory_at_its_line():
    assert_same(copy_then_numpy_writes(np), copy_then_numpy_writes(nf))
