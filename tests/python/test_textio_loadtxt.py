"""nf.loadtxt against np.loadtxt on the same text: values, dtypes, shapes, warnings and the types
of the exceptions (numfuse's messages also name the line of the file)."""
import io
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf


def outcome(module, text, kwargs):
    """('ok', array, warning messages) or ('error', exception type, message)."""
    source = io.StringIO(text) if isinstance(text, str) else text
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = module.loadtxt(source, **kwargs)
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return "error", type(e), str(e)
    return "ok", np.asarray(result), sorted(type(w.message).__name__ for w in caught)


def check_same(text, **kwargs):
    expected = outcome(np, text, kwargs)
    got = outcome(nf, text, kwargs)
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "error":
        assert got[1] is expected[1], (got, expected)
        return got[2]
    np.testing.assert_array_equal(got[1], expected[1], strict=True)
    assert got[2] == expected[2]
    return None


CASES = [
    ("", {}),
    ("# only a comment\n", {}),
    ("1 2 3\n", {}),
    ("1\n2\n3\n", {}),
    ("5\n", {}),
    ("5\n", {"ndmin": 1}),
    ("5\n", {"ndmin": 2}),
    ("1 2\n", {"ndmin": 2}),
    ("1\n2\n", {"ndmin": 2}),
    ("", {"ndmin": 2}),
    ("", {"usecols": [0, 1]}),
    ("", {"dtype": int}),
    ("1 2\n3 4\n5 6\n", {"unpack": True}),
    ("1 2\n", {"ndmin": 2, "unpack": True}),
    ("1 2  \n  3 4 \t\n", {}),
    ("1 2\n  \n\t\n3 4\n", {}),
    ("1,2 # c\n3,4#x\n", {"delimiter": ","}),
    ("1,2\r\n3,4\r\n", {"delimiter": ","}),
    ("1 2\n3 4", {}),
    ("1\t2\n3\t4\n", {"delimiter": "\t"}),
    ("1;2\n3;4\n", {"delimiter": ";"}),
    ("  1, 2\n", {"delimiter": ","}),
    ("1,2\n3,4\n", {"delimiter": ",", "dtype": int}),
    (" 1 , 2 \n+3,-4\n", {"delimiter": ",", "dtype": np.int8}),
    ("127\n-128\n", {"dtype": np.int8}),
    ("18446744073709551615\n", {"dtype": np.uint64}),
    ("1,0\n-2,0\n", {"delimiter": ",", "dtype": bool}),
    ("0.1 1e-3\n", {"dtype": np.float32}),
    ("1+2j 3-4j\n-1.5e3j (5+6j)\n", {"dtype": complex}),
    ("1+2j\n", {"dtype": np.complex64}),
    ("nan,inf,-inf,+1.5,.5,5.,-INFINITY,1e400\n", {"delimiter": ","}),
    ('"1",2\n"3""",4\n', {"delimiter": ",", "quotechar": '"'}),
    ('"1"5,2\n', {"delimiter": ",", "quotechar": '"'}),
    ("1,2,3\n4,5,6\n", {"delimiter": ",", "usecols": -1}),
    ("1,2,3\n4,5\n", {"delimiter": ",", "usecols": (0, 1)}),
    ("1 2 3\n", {"usecols": [0, 0, -1]}),
    ("1\n2\nx\n", {"max_rows": 2}),
    ("#a\n1\n\n2\n3", {"max_rows": 2}),
    ("1\n2\n", {"max_rows": 0}),
    ("# a\n1\n# b\n2\n3\n", {"skiprows": 2}),
    ("1\n2\n", {"skiprows": 5}),
    ("1 % x\n2 // y\n", {"comments": ["%", "//"]}),
    ("1 ## x\n2\n", {"comments": "##"}),
    ("1\n  # indented comment\n2\n", {}),
    ("1,2\n", {"delimiter": ",", "comments": None}),
    # bad input: same exception type as NumPy
    ("1,2,\n3,4,\n", {"delimiter": ","}),
    ("1,2\n\n   \n3,4\n", {"delimiter": ","}),
    ("1,2\n3,4,5\n", {"delimiter": ","}),
    ("# c\n1,2\n\n3,4\n5\n", {"delimiter": ","}),
    ("1,2\n3,x\n", {"delimiter": ","}),
    ("1.0,2\n", {"delimiter": ",", "dtype": int}),
    ("99999999999999999999\n", {"dtype": int}),
    ("300\n", {"dtype": np.uint8}),
    ("-1\n", {"dtype": np.uint8}),
    ("True\n", {"dtype": bool}),
    ("1.5\n", {"dtype": bool}),
    ("1,2\n", {"delimiter": ",", "usecols": 5}),
    ("1_0\n", {}),
    ("0x10\n", {}),
    ("nan(12)\n", {}),
    ("1e\n", {}),
    ("+-1\n", {"dtype": int}),
    ("#2\n", {"comments": None}),
    ("1 2\n", {"usecols": 1.0}),
    ("1 2\n", {"max_rows": -1}),
    ("1 2\n", {"ndmin": 3}),
    ("1,2\n", {"delimiter": ",", "comments": [",", "#"]}),
    ("1,2\n", {"comments": ""}),
    ("1,2\n", {"comments": ["#", "%"], "quotechar": '"'}),
]


@pytest.mark.parametrize("text,kwargs", CASES)
def test_loadtxt_matches_numpy(text, kwargs):
    check_same(text, **kwargs)


@pytest.mark.parametrize("text,kwargs,line", [
    ("1,2\n3,x\n", {"delimiter": ","}, 2),
    ("# c\n1,2\n\n3,4\n5\n", {"delimiter": ","}, 5),
    ("a\nb\n1,2\n3,4,5\n", {"delimiter": ",", "skiprows": 2}, 4),
    ("1,2\n", {"delimiter": ",", "usecols": 5}, 1),
    ("1,2\n3,4\n\n5,", {"delimiter": ","}, 4),
])
def test_errors_name_the_line(text, kwargs, line):
    message = check_same(text, **kwargs)
    assert f"line {line}" in message


def test_unclosed_quote_runs_to_the_end_as_in_numpy():
    check_same('1,2\n"3', delimiter=",", quotechar='"', ndmin=1)
    message = check_same('1,2\n"3,4\n5,6\n', delimiter=",", quotechar='"')
    assert "line 2" in message


def test_inputs_path_file_lines_and_encodings(tmp_path):
    text = "# x\n1.5 2\n3 4e2\n"
    path = tmp_path / "a.txt"
    path.write_text(text)
    expected = np.loadtxt(io.StringIO(text))
    for source in (path, str(path), io.StringIO(text), io.BytesIO(text.encode()), text.splitlines(),
                   [line.encode() for line in text.splitlines(True)], (line for line in text.splitlines())):
        np.testing.assert_array_equal(np.asarray(nf.loadtxt(source)), expected)
    path16 = tmp_path / "utf16.txt"
    path16.write_text(text, encoding="utf-16")
    np.testing.assert_array_equal(np.asarray(nf.loadtxt(path16, encoding="utf-16")),
                                  np.loadtxt(path16, encoding="utf-16"))
    import gzip
    with gzip.open(tmp_path / "a.txt.gz", "wt") as f:
        f.write(text)
    np.testing.assert_array_equal(np.asarray(nf.loadtxt(tmp_path / "a.txt.gz")), expected)
    with pytest.raises(FileNotFoundError):
        nf.loadtxt(tmp_path / "missing.txt")
    with pytest.raises(outcome(np, 5, {})[1]):
        nf.loadtxt(5)


def test_converters_and_string_dtypes_use_numpy():
    text = "1,a\n2,b\n"
    got = nf.loadtxt(io.StringIO(text), delimiter=",", usecols=0, converters={0: lambda s: float(s) * 2})
    np.testing.assert_array_equal(np.asarray(got), [2.0, 4.0])
    assert isinstance(got, nf.ndarray)
    strings = nf.loadtxt(io.StringIO(text), delimiter=",", dtype=str)
    np.testing.assert_array_equal(strings, np.loadtxt(io.StringIO(text), delimiter=",", dtype=str))


def write_big(tmp_path, rows, bad_line=None):
    """A ~2.5 MB comma file of random doubles written with repr (17 digits), so that it is cut into
    several pieces whose targets fall in the middle of lines; comments and blank lines mixed in."""
    rng = np.random.default_rng(7)
    values = rng.standard_normal((rows, 6)) * 10.0 ** rng.integers(-300, 300, (rows, 6))
    lines = []
    for i, row in enumerate(values):
        if i % 997 == 0:
            lines.append("# a comment line")
        if i % 1501 == 0:
            lines.append("")
        lines.append(",".join(repr(float(v)) for v in row))
    if bad_line is not None:
        lines[bad_line - 1] = lines[bad_line - 1].replace(",", ",oops", 1)
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, values


@pytest.mark.filterwarnings("ignore:Input line")
def test_large_file_is_bit_exact_and_thread_count_independent(tmp_path):
    path, values = write_big(tmp_path, 20000)
    assert path.stat().st_size > 2 << 20
    expected = np.loadtxt(path, delimiter=",")
    np.testing.assert_array_equal(expected, values)
    threads = nf.get_num_threads()
    try:
        for n in (1, 2):
            nf.set_num_threads(n)
            got = np.asarray(nf.loadtxt(path, delimiter=","))
            assert got.tobytes() == expected.tobytes()
            got = np.asarray(nf.loadtxt(path, delimiter=",", max_rows=15000, usecols=(1, -1)))
            np.testing.assert_array_equal(got, np.loadtxt(path, delimiter=",", max_rows=15000, usecols=(1, -1)))
    finally:
        nf.set_num_threads(threads)


def test_large_file_error_deep_inside_names_its_line(tmp_path):
    path, _ = write_big(tmp_path, 20000, bad_line=17123)
    with pytest.raises(ValueError) as numpy_error:
        np.loadtxt(path, delimiter=",")
    with pytest.raises(ValueError, match=r"line 17123\b") as ours:
        nf.loadtxt(path, delimiter=",")
    # NumPy's row number (data rows before it) is the same in both messages
    assert re.search(r"at row \d+, column \d+", str(ours.value)).group() == \
        re.search(r"at row \d+, column \d+", str(numpy_error.value)).group()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(allow_nan=False, width=64), min_size=1, max_size=40),
       st.sampled_from([",", ";", "\t", None]))
def test_random_doubles_round_trip_exactly(values, delimiter):
    sep = " " if delimiter is None else delimiter
    text = sep.join(repr(v) for v in values) + "\n"
    got = np.asarray(nf.loadtxt(io.StringIO(text), delimiter=delimiter, ndmin=1))
    assert got.tobytes() == np.array(values, dtype=np.float64).tobytes()


@st.composite
def tables(draw):
    """Random numeric text tables with NumPy's dialect options, comments, blank lines and CRLF."""
    dtype = draw(st.sampled_from([np.float64, np.int64, np.float32, np.int16]))
    rows, cols = draw(st.integers(1, 12)), draw(st.integers(1, 5))
    if np.dtype(dtype).kind == "f":
        cell = st.floats(allow_nan=False, width=32 if dtype == np.float32 else 64).map(repr)
    else:
        info = np.iinfo(dtype)
        cell = st.integers(int(info.min), int(info.max)).map(str)
    delimiter = draw(st.sampled_from([",", ";", "\t", None]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = []
    for _ in range(rows):
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append(draw(st.sampled_from(["# comment", "", "  # indented"])))
        lines.append((" " if delimiter is None else delimiter).join(draw(st.lists(cell, min_size=cols, max_size=cols))))
    if draw(st.integers(0, 9)) == 0:  # now and then a ragged or bad line
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["1", "x", "1,2,3,4,5,6,7"])))
    kwargs = {"dtype": dtype, "delimiter": delimiter}
    if draw(st.booleans()):
        kwargs["skiprows"] = draw(st.integers(0, 3))
    if draw(st.booleans()):
        kwargs["max_rows"] = draw(st.integers(0, rows))
    if draw(st.booleans()):
        kwargs["usecols"] = draw(st.lists(st.integers(-cols, cols - 1), min_size=1, max_size=3))
    kwargs["ndmin"] = draw(st.sampled_from([0, 1, 2]))
    kwargs["unpack"] = draw(st.booleans())
    ending = newline if draw(st.booleans()) else ""
    return newline.join(lines) + ending, kwargs


@pytest.mark.filterwarnings("ignore:Input line")
@settings(max_examples=50, deadline=None)
@given(tables())
def test_random_tables_match_numpy(table):
    text, kwargs = table
    check_same(text, **kwargs)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=50, deadline=None)
@given(st.text(st.sampled_from('0123456789.,;"#%\n\t -+eEjnaif()x'), max_size=60),
       st.sampled_from([",", None, ";"]), st.sampled_from(['"', None]),
       st.sampled_from([float, int, complex, bool, np.float32, np.uint8]),
       st.sampled_from([None, [0], [-1, 0]]), st.sampled_from([None, 0, 1, 3]))
def test_fuzz_against_numpy(text, delimiter, quotechar, dtype, usecols, max_rows):
    """Any text: the same result or the same exception type as NumPy."""
    check_same(text, delimiter=delimiter, quotechar=quotechar, dtype=dtype, usecols=usecols, max_rows=max_rows)
