"""Fuzz target: the lazy graph against an eager NumPy replay of the same program.

A case builds a few arrays ("memories": numfuse-owned, or NumPy arrays numfuse wraps) and
handles onto them: views (overlapping slices, reversed, strided, transposed) reached through
every route into the same memory (the array itself, nf.from_dlpack, NumPy's view of it wrapped
back, a second wrap of the same NumPy array). Then a random program runs twice, step by step,
with NumPy (eager: every value computed at its line) and with numfuse (lazy: values pending
until observed): elementwise ops over values and handles (a random DAG), writes into handles
(setitem, in-place operators, out=), data-dependent errors (integer power with negative
exponents), dropped references, and observations at random points. Every observed value must
equal NumPy's (dtype, shape, bits; NaNs equal), an error NumPy raised at its line must surface
as the same exception type when numfuse's value is observed (or at the line), and a write must
raise exactly when NumPy's raises. All ops chosen here are exactly rounded, so values are
compared bit for bit.
"""
import random
import warnings

import numpy as np

import numfuse as nf

BINARY = ["add", "subtract", "multiply", "maximum", "minimum"]
UNARY = ["negative", "absolute", "square"]
IN_PLACE = {"add": "__iadd__", "subtract": "__isub__", "multiply": "__imul__"}
DTYPES = [np.float64, np.int64, np.float32, np.int32]
SCALARS = [2, -1, 3, 0, 0.5, -2.5]
FAMILIES = (TypeError, ValueError, IndexError, OverflowError, MemoryError)


def family(exc):
    return next((cls for cls in FAMILIES if isinstance(exc, cls)), Exception)


class Failed:
    """A value NumPy could not compute: its line raised an exception of this family."""

    def __init__(self, family):
        self.family = family


def attempt(fn):
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(), None
    except Exception as exc:  # noqa: BLE001 -- compared by type below
        return None, exc


class Mismatch(AssertionError):
    pass


class Case:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.log = []
        self.two_d = self.rng.random() < 0.35
        self.n = self.rng.choice([3, 4, 8, 8, 13] if self.two_d else [3, 5, 8, 8, 64, 3000])
        self.memories = []  # (numpy mirror, numfuse base array, NumPy array numfuse wraps or None)
        self.values = []    # [numpy value or Failed, numfuse value, name]
        self.names_made = 0

    # ---- reporting ----------------------------------------------------------------------------

    def fail(self, message):
        program = "\n    ".join(self.log[-60:])
        raise Mismatch(f"seed {self.seed}: {message}\n  program (last lines):\n    {program}")

    def check_value(self, expected, got, what):
        if isinstance(expected, Failed):
            _, err = attempt(lambda: np.asarray(got))
            if err is None:
                self.fail(f"{what}: NumPy raised {expected.family.__name__}, numfuse gave a value")
            if family(err) is not expected.family:
                self.fail(f"{what}: NumPy raised {expected.family.__name__}, numfuse raised {err!r}")
            return
        result, err = attempt(lambda: np.asarray(got))
        if err is not None:
            self.fail(f"{what}: numfuse raised {err!r} observing a value NumPy computed")
        expected = np.asarray(expected)
        if result.dtype != expected.dtype or result.shape != expected.shape:
            self.fail(f"{what}: numfuse {result.dtype}{result.shape}, NumPy {expected.dtype}{expected.shape}")
        if not np.array_equal(result, expected, equal_nan=result.dtype.kind in "fc"):
            self.fail(f"{what}: values differ\n  numfuse {result.ravel()[:12]}\n  NumPy   {expected.ravel()[:12]}")

    def new_name(self, prefix):
        self.names_made += 1
        return f"{prefix}{self.names_made}"

    # ---- building -----------------------------------------------------------------------------

    def views(self):
        """View makers: every one gives a handle of the case's common shape."""
        n = self.n
        if self.two_d:
            return {"[:]": lambda a: a[:], ".T": lambda a: a.T, "[::-1]": lambda a: a[::-1],
                    "[:, ::-1]": lambda a: a[:, ::-1], "[::-1].T": lambda a: a[::-1].T}
        return {f"[0:{n}]": lambda a: a[0:n], f"[{n}:]": lambda a: a[n:],
                f"[1:{n + 1}]": lambda a: a[1:n + 1], "[::2]": lambda a: a[::2],
                f"[{2 * n - 1}:{n - 1}:-1]": lambda a: a[2 * n - 1:n - 1:-1],
                f"[{n // 2}:{n // 2 + n}]": lambda a: a[n // 2:n // 2 + n]}

    def random_data(self, dtype):
        shape = (self.n, self.n) if self.two_d else (2 * self.n,)
        ints = np.random.default_rng(self.rng.randrange(2**32)).integers(-20, 21, size=shape)
        data = ints.astype(dtype)
        if np.dtype(dtype).kind == "f" and self.rng.random() < 0.5:
            data = data / 2
        return data.astype(dtype)

    def add_memory(self):
        dtype = self.rng.choice(DTYPES)
        data = self.random_data(dtype)
        wrapped = None
        if self.rng.random() < 0.5:
            base, origin = nf.array(data), "nf.array"
        else:
            wrapped = data.copy()
            base, origin = nf.asarray(wrapped), "nf.asarray(numpy)"
        self.memories.append((data, base, wrapped))
        self.log.append(f"m{len(self.memories) - 1} = {origin}({np.dtype(dtype).name} {data.shape})")

    def add_handle(self):
        k = self.rng.randrange(len(self.memories))
        mirror, base, wrapped = self.memories[k]
        view_name, view = self.rng.choice(sorted(self.views().items()))
        routes = {
            "same": lambda: view(base),
            "from_dlpack": lambda: view(nf.from_dlpack(base)),
            "from_dlpack(view)": lambda: nf.from_dlpack(view(base)),
            "asarray(np.asarray)": lambda: view(nf.asarray(np.asarray(base))),
            "asarray(np view)": lambda: nf.asarray(view(np.asarray(base))),
        }
        if wrapped is not None:
            routes["rewrap numpy"] = lambda: nf.asarray(view(wrapped))
        route = self.rng.choice(sorted(routes))
        handle, err = attempt(routes[route])
        if err is not None:
            self.fail(f"making a handle of m{k} via {route}{view_name} raised {err!r}")
        name = self.new_name("h")
        self.log.append(f"{name} = {route}(m{k}){view_name}")
        self.values.append([view(mirror), handle, name])

    # ---- program steps ------------------------------------------------------------------------

    def pick(self):
        return self.values[self.rng.randrange(len(self.values))]

    def record(self, name, text, np_fn, nf_fn, np_inputs, deferred_ok):
        """A value-making step: NumPy's result (or error) against numfuse's."""
        self.log.append(f"{name} = {text}")
        failed_input = next((x for x in np_inputs if isinstance(x, Failed)), None)
        if failed_input is not None:
            np_value, np_err = None, failed_input.family()
        else:
            np_value, np_err = attempt(np_fn)
        nf_value, nf_err = attempt(nf_fn)
        if nf_err is not None:
            if np_err is None:
                self.fail(f"{name}: numfuse raised {nf_err!r}, NumPy computed it")
            if family(nf_err) is not family(np_err):
                self.fail(f"{name}: NumPy raised {np_err!r}, numfuse raised {nf_err!r}")
            return
        if np_err is not None:
            if not (deferred_ok or failed_input is not None):
                self.fail(f"{name}: NumPy raised {np_err!r} at the line, numfuse did not")
            np_value = Failed(family(np_err))
        self.values.append([np_value, nf_value, name])

    def step_value(self):
        x = self.pick()
        name = self.new_name("v")
        kind = self.rng.choice(["unary", "binary", "binary", "scalar", "power", "where", "astype", "reduce"])
        if kind == "unary":
            op = self.rng.choice(UNARY)
            self.record(name, f"{op}({x[2]})", lambda: getattr(np, op)(x[0]), lambda: getattr(nf, op)(x[1]),
                        [x[0]], False)
        elif kind in ("binary", "scalar"):
            op = self.rng.choice(BINARY)
            if kind == "scalar":
                s = self.rng.choice(SCALARS)
                self.record(name, f"{op}({x[2]}, {s!r})", lambda: getattr(np, op)(x[0], s),
                            lambda: getattr(nf, op)(x[1], s), [x[0]], False)
            else:
                y = self.pick()
                self.record(name, f"{op}({x[2]}, {y[2]})", lambda: getattr(np, op)(x[0], y[0]),
                            lambda: getattr(nf, op)(x[1], y[1]), [x[0], y[0]], False)
        elif kind == "power":
            # Integers only, exponents in [-1, 3]: a negative one is a data-dependent error.
            ints = [v for v in self.values if v[1].dtype.kind in "iu"]
            if not ints:
                return
            x, y = self.rng.choice(ints), self.rng.choice(ints)
            self.record(name, f"{x[2]} ** ({y[2]} % 5 - 1)",
                        lambda: np.power(x[0], y[0] % 5 - 1), lambda: nf.power(x[1], y[1] % 5 - 1),
                        [x[0], y[0]], True)
        elif kind == "where":
            y = self.pick()
            self.record(name, f"where({x[2]} > {y[2]}, {x[2]}, {y[2]})",
                        lambda: np.where(x[0] > y[0], x[0], y[0]), lambda: nf.where(x[1] > y[1], x[1], y[1]),
                        [x[0], y[0]], False)
        elif kind == "astype":
            # Only conversions defined for every value: int -> any, float64 -> float32.
            kind_of = np.asarray(x[0]).dtype.kind if not isinstance(x[0], Failed) else "f"
            target = self.rng.choice(DTYPES if kind_of in "iu" else [np.float32, np.float64])
            self.record(name, f"{x[2]}.astype({np.dtype(target).name})", lambda: x[0].astype(target),
                        lambda: x[1].astype(target), [x[0]], False)
        else:
            # Exact reductions: max/min always, sum for integers (float sums depend on order).
            op = self.rng.choice(["max", "min", "sum"])
            axis = self.rng.choice([None, 0] if x[1].ndim == 2 else [None])
            self.record(name, f"{x[2]}.{op}(axis={axis})",
                        lambda: self.exact_reduce(x[0], op, axis), lambda: self.exact_reduce(x[1], op, axis),
                        [x[0]], False)

    @staticmethod
    def exact_reduce(a, op, axis):
        if op == "sum" and a.dtype.kind == "f":
            op = "max"
        return getattr(a, op)(axis=axis)

    def handles(self):
        return [v for v in self.values if v[2].startswith("h")]

    def step_write(self):
        h = self.rng.choice(self.handles())
        kind = self.rng.choice(["setitem", "setitem", "in-place", "out"])
        if kind == "setitem":
            n = self.n
            key = self.rng.choice([0, n - 1, slice(1, None, 2), slice(None, None, -1), Ellipsis,
                                   (0, slice(None)) if self.two_d else slice(0, 2)])
            if self.rng.random() < 0.5:
                value = self.rng.choice(SCALARS)
                text, np_src, nf_src = repr(value), value, value
            else:
                src = self.pick()
                if not self.same_kind(src[0], h[0]):
                    return
                text, np_src, nf_src = src[2], src[0], src[1]
                if self.overlaps_differently(np_src, h[0]):
                    return
                if self.rng.random() < 0.7:
                    key = Ellipsis  # mostly a whole-handle copy; other keys may mismatch (ValueError)
            self.log.append(f"{h[2]}[{key!r}] = {text}")
            self.write(lambda: h[0].__setitem__(key, np_src), lambda: h[1].__setitem__(key, nf_src), np_src)
        elif kind == "in-place":
            op = self.rng.choice(sorted(IN_PLACE))
            src = self.pick()
            if isinstance(src[0], Failed):
                return
            self.log.append(f"{h[2]} {IN_PLACE[op]} {src[2]}")
            self.write(lambda: getattr(h[0], IN_PLACE[op])(src[0]), lambda: getattr(h[1], IN_PLACE[op])(src[1]),
                       src[0])
        else:
            op = self.rng.choice(BINARY)
            x, y = self.pick(), self.pick()
            if isinstance(x[0], Failed) or isinstance(y[0], Failed):
                return
            self.log.append(f"{op}({x[2]}, {y[2]}, out={h[2]})")
            self.write(lambda: getattr(np, op)(x[0], y[0], out=h[0]), lambda: getattr(nf, op)(x[1], y[1], out=h[1]),
                       None)

    @staticmethod
    def overlaps_differently(src, dst):
        """NumPy's 1-D setitem copies overlapping memory in loop order when the strides point the
        same way (a[::2] = a[0:8] reads elements it already wrote): an artifact numfuse does not
        copy (it reads the source as of the line). Such writes are left out."""
        if isinstance(src, Failed) or not isinstance(src, np.ndarray) or not np.may_share_memory(src, dst):
            return False
        same_view = (src.__array_interface__["data"] == dst.__array_interface__["data"]
                     and src.strides == dst.strides and src.shape == dst.shape)
        return not same_view

    @staticmethod
    def same_kind(src, dst):
        if isinstance(src, Failed):
            return True
        return np.can_cast(np.asarray(src).dtype, dst.dtype, "same_kind")

    def write(self, np_fn, nf_fn, np_src):
        if isinstance(np_src, Failed):
            np_err = np_src.family()
        else:
            _, np_err = attempt(np_fn)
        _, nf_err = attempt(nf_fn)
        if (np_err is None) != (nf_err is None):
            self.fail(f"write: NumPy {'raised ' + repr(np_err) if np_err else 'wrote'}, "
                      f"numfuse {'raised ' + repr(nf_err) if nf_err else 'wrote'}")
        if np_err is not None and family(np_err) is not family(nf_err):
            self.fail(f"write: NumPy raised {np_err!r}, numfuse raised {nf_err!r}")

    def step_observe(self):
        v = self.pick()
        self.log.append(f"observe {v[2]}")
        self.check_value(v[0], v[1], f"observing {v[2]}")

    def step_drop(self):
        candidates = [i for i, v in enumerate(self.values) if not v[2].startswith("h")]
        if candidates:
            i = self.rng.choice(candidates)
            self.log.append(f"del {self.values[i][2]}")
            del self.values[i]

    def run(self):
        for _ in range(self.rng.randint(1, 3)):
            self.add_memory()
        for _ in range(self.rng.randint(1, 4)):
            self.add_handle()
        steps = {"value": 8, "write": 5, "observe": 2, "handle": 1, "drop": 1}
        names = sorted(steps)
        for _ in range(self.rng.randint(5, 40)):
            step = self.rng.choices(names, [steps[k] for k in names])[0]
            if step == "value":
                self.step_value()
            elif step == "write":
                self.step_write()
            elif step == "observe":
                self.step_observe()
            elif step == "handle":
                self.add_handle()
            else:
                self.step_drop()
        self.log.append("observe everything")
        for v in self.values:
            self.check_value(v[0], v[1], f"at the end, {v[2]}")


def run_case(seed):
    Case(seed).run()
