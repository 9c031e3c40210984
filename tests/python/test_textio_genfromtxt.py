"""nf.genfromtxt against np.genfromtxt: the native float reading with missing values, and the
options that go to NumPy."""
import io
import warnings

import numpy as np
import pytest

import numfuse as nf


def outcome(module, text, kwargs):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = module.genfromtxt(io.StringIO(text), **kwargs)
    except Exception as e:  # noqa: BLE001 - the type is compared
        return "error", type(e), str(e)
    return "ok", np.asarray(result), sorted(type(w.message).__name__ for w in caught)


@pytest.mark.parametrize("text,kwargs", [
    ("1 2\n3 4\n", {}),
    ("1,,3\n4,5,\n", {"delimiter": ","}),
    ("1,,3\n4,5,\n", {"delimiter": ",", "filling_values": 0}),
    ("1,N/A,3\n4,5,-999\n", {"delimiter": ",", "missing_values": "N/A,-999"}),
    ("1,N/A,3\n4,5,-999\n", {"delimiter": ",", "missing_values": ["N/A", "-999"]}),
    ("1,N/A,3\n4,5,-999\n", {"delimiter": ",", "missing_values": {1: "N/A", 2: "-999"}, "filling_values": {1: -1}}),
    ("1,abc,3\n", {"delimiter": ","}),
    ("1,2,3\n4,5\n6,7,8\n", {"delimiter": ","}),
    ("1,2,3\n4,5\n6,7,8\n", {"delimiter": ",", "invalid_raise": False}),
    ("h\nh2\n1 2\n3 4\nf\n", {"skip_header": 2, "skip_footer": 1}),
    ("h\nh2\n1 2\n3 4\n", {"skip_header": 2}),
    ("5\n", {}),
    ("5\n", {"ndmin": 2}),
    ("1 2 3\n", {}),
    ("1\n2\n", {}),
    ("", {}),
    ("1,2,3\n4,5,6\n", {"delimiter": ",", "usecols": (0, -1)}),
    ("# c\n1 2 # x\n\n3 4\n", {}),
    ("1,2\n3,\n", {"delimiter": ",", "dtype": int}),
    ("1\n2\n3\n", {"max_rows": 2}),
    ("1, 2 ,3\n", {"delimiter": ","}),
    ("nan;inf;-inf\n", {"delimiter": ";"}),
    ('"1",2\n', {"delimiter": ","}),
    ("1\t2\r\n3\t4\r\n", {"delimiter": "\t"}),
    ("1,2,\n3,4,\n", {"delimiter": ","}),
    ("1,2\n   \n3,4\n", {"delimiter": ","}),
    ("a,b\n1,2\n", {"delimiter": ",", "names": True}),
    ("1 2\n3 4\n", {"unpack": True}),
    ("0.1 0.2\n", {"dtype": np.float32}),
    ("1 2\n3 4\n", {"comments": None}),
    ("\t", {"delimiter": ","}),                 # a lone tab is a field (only spaces are stripped)
    ("1,2\n \t \n3,4\n", {"delimiter": ","}),
])
def test_genfromtxt_matches_numpy(text, kwargs):
    expected = outcome(np, text, kwargs)
    got = outcome(nf, text, kwargs)
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "error":
        assert got[1] is expected[1] and got[2] == expected[2]
    else:
        np.testing.assert_array_equal(got[1], expected[1], strict=True)
        assert got[2] == expected[2]


def test_ragged_line_deep_in_a_large_file(tmp_path):
    rows = ["1.5,,2.5" if i % 7 else "1,N/A,3" for i in range(60000)]
    rows[45678] = "1,2"
    path = tmp_path / "g.csv"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(ValueError, match="Line #45679 "):
        np.genfromtxt(path, delimiter=",", missing_values="N/A")
    with pytest.raises(ValueError, match="Line #45679 "):
        nf.genfromtxt(path, delimiter=",", missing_values="N/A")
    del rows[45678]
    path.write_text("\n".join(rows) + "\n")
    np.testing.assert_array_equal(np.asarray(nf.genfromtxt(path, delimiter=",", missing_values="N/A", filling_values=-1)),
                                  np.genfromtxt(path, delimiter=",", missing_values="N/A", filling_values=-1))
