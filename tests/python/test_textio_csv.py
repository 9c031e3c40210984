"""nf.read_csv against pandas.read_csv (C engine) on the same files: names, dtypes, values, and
the exception types for bad input (where pandas would make a text column or fill NaN, numfuse
raises ValueError naming line and column)."""
import io
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf


def as_numpy(table):
    return {name: np.asarray(column) for name, column in table.items()}


def check_like_pandas(text, **kwargs):
    expected = pd.read_csv(io.StringIO(text), **kwargs)
    got = as_numpy(nf.read_csv(io.StringIO(text), **kwargs))
    assert list(got) == list(expected.columns)
    for name, column in got.items():
        assert_same_values(column, expected[name].to_numpy())
    return got


def assert_same_values(got, expected):
    """Equal values and dtypes, and the same sign of every zero (-0.0 is not 0.0 in a float column)."""
    np.testing.assert_array_equal(got, expected, strict=True)
    if got.dtype.kind == "f":
        np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))


@pytest.mark.parametrize("text,kwargs", [
    ("a,b,c\n1,2.5,True\n3,4,False\n", {}),
    ("a,b\n1,\n2,3\n", {}),
    ("a\nTRUE\nfalse\nTrue\n", {}),
    ('a,b\n"1",2\n"3",4\n', {}),
    ('"x,y","q""r"\n1,2\n', {}),
    ("a,a,b,a\n1,2,3,4\n", {}),
    ("a,b\n1,2\n   \n\n3,4\n", {}),
    ("a,b\n 1 , 2.5 \n3,4\n", {}),
    ("a,b\nNA,1\nnull,2\nNone,3\n", {}),
    ("a,b\n,1\n,2\n", {}),
    ("a,b\n\"\",1\n", {}),
    ("1,2\n3,4\n", {"header": None}),
    ("a,b\r\n1,2\r\n3,4", {}),
    ("a\n+1\n-2\n007\n", {}),
    ("a\n1e5\n-1.5E-3\ninf\n-inf\nnan\n", {}),
    ("a,b,c,d\n-0,-0,,-0\n1.5,,-0,+0\n-00,1,-0,2\n", {}),  # "-0" in columns that end up float
    ("a,b\n,-0\n-0,1e0\n2.5,-0\n", {}),
    ("a;b\n1;2.5\n", {"sep": ";"}),
    ("a\tb\n1\t2.5\n", {"delimiter": "\t"}),
    ("a,b\nmissing,1\n2,2\n", {"na_values": ["missing"]}),
    ("a,b,c\n1,2,3\n4,5,6\n", {"usecols": ["c", "a"]}),
    ("a,b,c\n1,2,3\n4,5,6\n", {"usecols": [1]}),
    ("a,b\n1,2\n3,4\n", {"dtype": np.float32}),
    ("a,b\n1,2\n3,4\n", {"dtype": {"b": np.float64}}),
])
def test_matches_pandas(text, kwargs):
    check_like_pandas(text, **kwargs)


@pytest.mark.parametrize("text,line", [
    ("a,b\n1,2\n3,4,5\n", 3),
    ("a,b\n1,2\n\n3,4,5\n", 4),
])
def test_too_many_fields_like_pandas(text, line):
    with pytest.raises(ValueError) as theirs:
        pd.read_csv(io.StringIO(text))
    with pytest.raises(ValueError) as ours:
        nf.read_csv(io.StringIO(text))
    assert re.search(r"line (\d+)", str(ours.value)).group(1) == re.search(r"line (\d+)", str(theirs.value)).group(1)
    assert f"line {line}" in str(ours.value)


@pytest.mark.parametrize("text,where", [
    ("a,b\n1,2\n3\n", "line 3"),                                  # pandas fills NaN
    ("a,b\n1,2\n3,x\n", "line 3, column 2"),                     # pandas: a text column
    ("a,b\n1,2\n3,True\n", "line 3, column 2"),                  # pandas: a text column
    ("a,b\nTrue,2\n,3\n", "line 3, column 1"),                   # pandas: an object column
    ('a,b\n1,2\n"3,4\n5,6\n', "line 3"),                          # unclosed quote
    ("a,b\n1,2,\n3,4,\n", "line 2"),                              # trailing delimiters
    ("a,b\n1, \n", "line 2, column 2"),                          # blanks are text, as in pandas
])
def test_bad_input_raises_value_error_with_position(text, where):
    with pytest.raises(ValueError, match=re.escape(where)):
        nf.read_csv(io.StringIO(text))


def test_empty_file_like_pandas():
    with pytest.raises(ValueError, match="No columns to parse"):
        pd.read_csv(io.StringIO(""))
    with pytest.raises(ValueError, match="No columns to parse"):
        nf.read_csv(io.StringIO("\n\n"))


def test_header_only_and_casts():
    table = nf.read_csv(io.StringIO("a,b\n"))
    assert list(table) == ["a", "b"] and all(c.shape == (0,) for c in table.values())
    with pytest.raises(ValueError, match="NA"):
        pd.read_csv(io.StringIO("a\n1\nNA\n"), dtype=int)
    with pytest.raises(ValueError, match="NA"):
        nf.read_csv(io.StringIO("a\n1\nNA\n"), dtype=int)


def test_sources(tmp_path):
    text = "a,b\n1,2.5\n3,4\n"
    path = tmp_path / "t.csv"
    path.write_text(text)
    for source in (path, str(path), io.StringIO(text), io.BytesIO(text.encode()),
                   io.BytesIO(b"\xef\xbb\xbf" + text.encode())):
        got = as_numpy(nf.read_csv(source))
        np.testing.assert_array_equal(got["a"], [1, 3], strict=True)
        np.testing.assert_array_equal(got["b"], [2.5, 4.0], strict=True)


def write_mixed(tmp_path, rows, late=None):
    """A ~2.5 MB CSV cut into several pieces: int, float (repr), bool and sparse-missing columns;
    `late` puts one value that changes a column's kind near the end (in the last piece)."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({
        "i": rng.integers(-10**12, 10**12, rows),
        "f": rng.standard_normal(rows) * 10.0 ** rng.integers(-200, 200, rows),
        "b": rng.integers(0, 2, rows).astype(bool),
        "g": np.where(rng.random(rows) < 0.01, np.nan, rng.random(rows)),
        "late": rng.integers(0, 100, rows),
    })
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False)
    if late is not None:
        lines = path.read_text().splitlines()
        parts = lines[rows - 5].split(",")
        parts[4] = late
        lines[rows - 5] = ",".join(parts)
        lines[2] = ",".join(lines[2].split(",")[:4] + ["-0"])  # a float column must keep its sign
        path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("late,dtype", [(None, np.int64), ("", np.float64), ("2.5", np.float64)])
def test_large_file_in_pieces_like_pandas_at_any_thread_count(tmp_path, late, dtype):
    path = write_mixed(tmp_path, 40000, late)
    assert path.stat().st_size > 2 << 20
    expected = pd.read_csv(path)
    threads = nf.get_num_threads()
    try:
        for n in (1, 2):
            nf.set_num_threads(n)
            got = as_numpy(nf.read_csv(path))
            assert got["late"].dtype == dtype
            for name in expected.columns:
                assert_same_values(got[name], expected[name].to_numpy())
    finally:
        nf.set_num_threads(threads)


def test_large_file_errors_name_lines_in_later_pieces(tmp_path):
    path = write_mixed(tmp_path, 40000, "x")
    with pytest.raises(ValueError, match="line 39996, column 5"):
        nf.read_csv(path)
    path = write_mixed(tmp_path, 40000, "1,2")
    with pytest.raises(ValueError) as theirs:
        pd.read_csv(path)
    with pytest.raises(ValueError, match="line 39996") as ours:
        nf.read_csv(path)
    assert re.search(r"line \d+", str(ours.value)).group() == re.search(r"line \d+", str(theirs.value)).group()


@pytest.mark.parametrize("with_progress", [False, True])
def test_first_bad_line_in_file_order_wins_over_later_pieces(tmp_path, with_progress):
    # Bad tokens in the second piece (~1 MB in) and in the last one: whichever piece a thread
    # finishes first, the error is the first bad line of the file, as pandas reports it.
    path = write_mixed(tmp_path, 40000, "x")
    lines = path.read_text().splitlines()
    early = len(lines) // 2
    parts = lines[early].split(",")
    parts[1] = "oops"
    lines[early] = ",".join(parts)
    path.write_text("\n".join(lines) + "\n")
    progress = (lambda done, total: None) if with_progress else False
    threads = nf.get_num_threads()
    try:
        for n in (1, 2):
            nf.set_num_threads(n)
            with pytest.raises(ValueError, match=f"'oops'.* at line {early + 1}, column 2"):
                nf.read_csv(path, progress=progress)
    finally:
        nf.set_num_threads(threads)


def test_progress_callback(tmp_path, capsys):
    path = write_mixed(tmp_path, 40000)
    calls = []
    nf.read_csv(path, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert calls and calls[-1] == (size, size)
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))
    nf.read_csv(path, progress=True)  # below 100 MB: no progress line
    assert capsys.readouterr().err == ""

    def stop(done, total):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        nf.read_csv(path, progress=stop)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(allow_nan=False, width=64), min_size=1, max_size=50))
def test_random_doubles_round_trip_exactly(values):
    text = "x\n" + "\n".join(repr(v) for v in values) + "\n"
    got = np.asarray(nf.read_csv(io.StringIO(text))["x"])
    assert got.dtype == np.float64
    assert got.tobytes() == np.array([float(repr(v)) for v in values]).tobytes()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["int", "float", "bool", "int_missing", "all_missing"]), min_size=1, max_size=5),
       st.integers(1, 30), st.sampled_from([",", ";", "\t"]), st.randoms(use_true_random=False))
def test_random_frames_like_pandas(kinds, rows, delimiter, rnd):
    # an int column first, so that no data line is blank (blank lines are skipped)
    columns = {"id": list(range(rows))}
    for i, kind in enumerate(kinds):
        if kind == "int":
            values = [rnd.randint(-2**63, 2**63 - 1) for _ in range(rows)]
        elif kind == "float":
            values = [rnd.uniform(-1, 1) * 10.0 ** rnd.randint(-300, 300) for _ in range(rows)]
        elif kind == "bool":
            values = [rnd.random() < 0.5 for _ in range(rows)]
        elif kind == "int_missing":
            values = [rnd.randint(-1000, 1000) if rnd.random() < 0.7 else None for _ in range(rows)]
        else:
            values = [None] * rows
        columns[f"{kind}{i}"] = values
    text = delimiter.join(columns) + "\n" + "".join(
        delimiter.join("" if v is None else repr(v) for v in row) + "\n" for row in zip(*columns.values()))
    expected = pd.read_csv(io.StringIO(text), sep=delimiter)
    got = as_numpy(nf.read_csv(io.StringIO(text), delimiter=delimiter))
    assert list(got) == list(expected.columns)
    for name, values in columns.items():
        column = got[name]
        assert column.dtype == expected[name].dtype, name
        exact = np.array([np.nan if v is None else v for v in values], dtype=column.dtype)
        np.testing.assert_array_equal(column, exact, strict=True)  # our doubles are exact
        np.testing.assert_allclose(column, expected[name].to_numpy(), rtol=1e-15)


def test_quoted_fields_across_pieces(tmp_path):
    """Quotes anywhere: the pieces are cut by a tokenizer pass (line starts outside quotes)."""
    rng = np.random.default_rng(5)
    values = rng.standard_normal((40000, 2))
    lines = ['"x,1","y""2"'] + [f'"{float(a)!r}",{float(b)!r}' for a, b in values]
    path = tmp_path / "q.csv"
    path.write_text("\n".join(lines) + "\n")
    got = as_numpy(nf.read_csv(path))
    expected = pd.read_csv(path)
    assert list(got) == list(expected.columns) == ["x,1", 'y"2']
    assert got["x,1"].tobytes() == values[:, 0].tobytes()
    np.testing.assert_array_equal(got['y"2'], expected['y"2'].to_numpy(), strict=True)
    lines[30000] = '"1\n\n5",2.0'  # a quoted newline: text, at the line the quote opens
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="line 30001, column 1"):
        nf.read_csv(path)


@pytest.mark.parametrize("text,kwargs", [
    ("junk line\nmore junk\na,b\n1,2\n", {"skiprows": 2}),
    ("a,b\n1,2 # note\n# whole line\n3,4\n", {"comment": "#"}),
    ("1,2\n3,4\n", {"names": ["x", "y"]}),
    ("a,b\n1,2\n", {"names": ["x", "y"], "header": 0}),
    ("1,2,3\n4,5,6\n", {"names": ["x", "y", "z"], "usecols": [0, 2]}),
])
def test_pandas_options(text, kwargs):
    check_like_pandas(text, **kwargs)


CSV_TOKENS = ["1", "-2", "3.5", "1e3", "", " ", "nan", "NA", "True", "false", "inf", "007", "+4", '"5"', "x",
              "9223372036854775807", "-9223372036854775808", "1.", ".5"]


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.lists(
    st.lists(st.sampled_from(CSV_TOKENS), min_size=n, max_size=n), min_size=1, max_size=6)))
def test_fuzz_against_pandas(rows):
    """Where pandas gives numeric/bool columns, the same columns; where numfuse raises, pandas
    raises too or makes a text column."""
    text = ",".join(f"c{i}" for i in range(len(rows[0]))) + "\n" + "".join(",".join(r) + "\n" for r in rows)
    try:
        expected = pd.read_csv(io.StringIO(text))
        numeric = all(expected[c].dtype.kind in "bif" for c in expected.columns)
    except ValueError:
        expected, numeric = None, False
    try:
        got = as_numpy(nf.read_csv(io.StringIO(text)))
    except ValueError:
        assert not numeric or len(expected) == 0
        return
    if expected is not None and len(expected) == 0:
        return  # header only: pandas makes object columns, numfuse float64 (documented)
    assert numeric
    for name in expected.columns:
        np.testing.assert_array_equal(got[name], expected[name].to_numpy(), strict=True)
