"""Decimal text to double, bit for bit as Python's float(): the plain-decimal fast path in front
of fast_float (at most 19 significant digits, leading zeros skipped, exponents up to 4 digits,
Clinger's exact case and Eisel-Lemire) and the fast_float fallback for everything else (more
digits, huge exponents, inf/nan), through nf.loadtxt's row scanner, its tokenized fields, and
nf.read_csv's fast rows and tokenized rows."""
import io
import random

import numpy as np

import numfuse as nf

EDGE_CASES = [
    "0", "-0", "0.0", "-0.0", "00012.5000", "1.", ".5", "-.5", "1e5", "1E-5", "1e+05", "-1.5e-0007",
    "9999999999999999999", "99999999999999999999", "18446744073709551615", "18446744073709551616",
    "1.8446744073709551616e19", "0.0000000000000000000000000123456789012345678", "123456789012345678901234",
    "9007199254740993", "9007199254740992.5", "4.9e-324", "2.4703282292062328e-324", "2.4703282292062327e-324",
    "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308", "1.7976931348623159e308",
    "1e-340", "1e-400", "1e308", "1e309", "1e310", "123e-20", "0.1", "0.2", "0.3", "1e22", "1e23",
    "7.3177701707893310e+15", "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124", "nan", "-inf", "inf", "+1.5", "+0",
]


def decimal_strings(count, seed):
    """Random decimals in many spellings: repr, %.17g/%.15g/%.3e, random digit runs."""
    rng = random.Random(seed)
    out = list(EDGE_CASES)
    while len(out) < count:
        kind = rng.randrange(4)
        if kind == 0:
            value = rng.uniform(-1, 1) * 10.0 ** rng.randint(-30, 30)
            out.append(rng.choice(["%.17g", "%.15g", "%.3e", "%r", "%.20f"]) % value)
        elif kind == 1:
            value = np.frombuffer(rng.getrandbits(64).to_bytes(8, "little"), np.float64)[0]
            if np.isfinite(value):
                out.append("%.17g" % value)
        else:
            digits = "".join(rng.choice("0000123456789") for _ in range(rng.randint(1, 24)))
            text = rng.choice(["", "-"]) + digits
            if rng.random() < 0.7:
                cut = rng.randint(0, len(digits))
                text = text[:len(text) - len(digits) + cut] + "." + digits[cut:]
            if rng.random() < 0.3:
                text += rng.choice("eE") + rng.choice(["", "-", "+"]) + str(rng.randint(0, 350))
            if any(c.isdigit() for c in text):
                out.append(text)
    return out


def expected_bits(strings):
    return np.array([float(s) for s in strings]).view(np.uint64)


def test_loadtxt_rows_and_fields_are_exact():
    strings = decimal_strings(6000, seed=1)
    rows = [strings[i:i + 3] for i in range(0, len(strings) - 2, 3)]
    flat = [s for row in rows for s in row]
    plain = "\n".join(",".join(row) for row in rows) + "\n"
    got = np.asarray(nf.loadtxt(io.StringIO(plain), delimiter=",")).ravel()
    np.testing.assert_array_equal(got.view(np.uint64), expected_bits(flat))
    # blanks around the fields send every row through the tokenizer's field parser
    padded = "\n".join(" ,".join(f" {s}" for s in row) for row in rows) + "\n"
    got = np.asarray(nf.loadtxt(io.StringIO(padded), delimiter=",")).ravel()
    np.testing.assert_array_equal(got.view(np.uint64), expected_bits(flat))


def test_read_csv_fast_and_tokenized_rows_are_exact():
    strings = [s for s in decimal_strings(4000, seed=2) if s.lower().lstrip("+-") not in ("nan", "inf")]
    strings = strings[:len(strings) // 2 * 2]
    lines = ["a,b", "0.5,0.5"]  # float columns from the start ("-0" read as an int would lose its sign)
    for i in range(0, len(strings), 2):
        first = f'"{strings[i]}"' if i % 6 == 0 else strings[i]  # quoted: the tokenizer's row
        lines.append(f"{first},{strings[i + 1]}")
    table = nf.read_csv(io.BytesIO(("\n".join(lines) + "\n").encode()))
    got = np.stack([np.asarray(table["a"])[1:], np.asarray(table["b"])[1:]], axis=1).ravel()
    np.testing.assert_array_equal(got.view(np.uint64), expected_bits(strings))
