import numpy as np

import numfuse as nf


def test_arange_reshape_slice_matches_numpy():
    a = nf.arange(24).reshape(2, 3, 4)
    n = np.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(np.asarray(a[:, ::-1, 1::2]), n[:, ::-1, 1::2])
    assert a.dtype == n.dtype
    assert repr(a[0]) == repr(n[0])
