"""Interface model -> the C binding (CPython API): one extension module calling the shim.

Each routine becomes a METH_FASTCALL function that parses its arguments, acquires arrays without
silent copies, computes defaults and hidden dimensions, checks, releases the GIL around the
Fortran call, and returns numfuse arrays. The shared machinery is in runtime.h.
"""
from __future__ import annotations

import json
import re

from .directives import names_in, to_c
from .gen_fortran import routine_id
from .model import Arg, Callback, FType, Interface, Routine, Variable
from .signature import (_scalar_name, callback_inputs, callback_outputs, common_doc, extension_doc,
                        fortran_module_doc, python_params, python_outputs)


NPY_TYPENUM = {"int8": "NPY_INT8", "int16": "NPY_INT16", "int32": "NPY_INT32", "int64": "NPY_INT64",
               "float32": "NPY_FLOAT32", "float64": "NPY_FLOAT64", "complex64": "NPY_COMPLEX64",
               "complex128": "NPY_COMPLEX128", "bool": "NPY_BOOL"}


def cstr(s: str) -> str:
    return json.dumps(s)


def _conv_scalar(t: FType, obj: str, target: str, arg: str) -> list[str]:
    """C lines converting Python object `obj` into C variable `target` (goto fail on error)."""
    if t.base == "integer" or (t.base == "logical" and False):
        lo, hi = -(1 << (8 * t.kind - 1)), (1 << (8 * t.kind - 1)) - 1
        return [f"{{ int64_t t_; if (nfw_to_int({obj}, {cstr(arg)}, {lo}LL, {hi}LL, &t_)) goto fail; {target} = ({t.spec().ctype})t_; }}"]
    if t.base == "real":
        return [f"{{ double t_; if (nfw_to_double({obj}, {cstr(arg)}, &t_)) goto fail; {target} = ({t.spec().ctype})t_; }}"]
    if t.base == "complex":
        return [f"{{ double _Complex t_; if (nfw_to_complex({obj}, {cstr(arg)}, &t_)) goto fail; {target} = ({t.spec().ctype})t_; }}"]
    if t.base == "logical":
        return [f"{{ int32_t t_; if (nfw_to_bool({obj}, {cstr(arg)}, &t_)) goto fail; {target} = t_; }}"]
    raise ValueError(t)


def _from_scalar(t: FType, expr: str, logical_as_int: bool = False) -> str:
    """A Python object from a C scalar. f2py hands logicals of routines and callbacks to Python
    as ints (logical_as_int); module variables and components give bools."""
    if t.base == "integer" or (t.base == "logical" and logical_as_int):
        return f"PyLong_FromLongLong((long long)({expr}))"
    if t.base == "real":
        return f"PyFloat_FromDouble((double)({expr}))"
    if t.base == "complex":
        return f"nfw_from_complex((double _Complex)({expr}))"
    if t.base == "logical":
        return f"PyBool_FromLong((long)({expr}))"
    raise ValueError(t)


def _scalar_ctype(t: FType) -> str:
    return "int32_t" if t.base == "logical" else t.spec().ctype


def _when_given(a: Arg, o: str, lines: list[str]) -> list[str]:
    """C lines for an argument the caller gave; for an OPTIONAL dummy, None or nothing skips them
    (it stays absent: NULL)."""
    if a.may_be_absent and o != "NULL":
        return [f"  if ({o} && {o} != Py_None) {{ {' '.join(lines)} }}"]
    return ["  " + x for x in lines] if o != "NULL" or a.ftype.base == "character" else []


def _check_values(chk: str, by_name: dict) -> tuple[list[str], list[str]]:
    """What a failed check() shows: the value of each scalar it names, the shape of each array
    (C expressions making new references)."""
    labels, values = [], []
    for n in sorted(names_in(chk) & set(by_name)):
        a = by_name[n]
        if a.callback is not None or a.ftype.base in ("character", "derived"):
            continue
        if a.is_array:
            labels.append(f"shape({n})")
            values.append(f"nfw_shape_tuple(&arr_{n})")
        else:
            labels.append(n)
            values.append(_from_scalar(a.ftype, f"v_{n}"))
    return labels, values


_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def _f2py_position(a: Arg, params) -> str:
    """Where f2py's messages say an argument is: "2nd argument", "1st keyword" or "hidden"."""
    for optional, word in ((False, "argument"), (True, "keyword")):
        group = [p.arg for p in params if p.optional == optional and p.arg is not None]
        if a in group:
            k = group.index(a) + 1
            return f"{k}{_ORDINAL.get(k % 10, 'th')} {word}"   # f2py's suffix rule (k % 10)
    return "hidden"


def _check_failure(r: Routine, a: Arg, chk: str, by_name: dict, params) -> str:
    """C statement raising the module's error for a failed check() of argument `a`: f2py's text
    (a number shows its own value as f2py prints it), then the other values the check reads."""
    own = "NULL"
    shows_own = not a.is_array and a.ftype.base in ("integer", "logical", "real")
    if shows_own:
        fmt, cast = ("%g", "double") if a.ftype.base == "real" else ("%lld", "long long")
        own = "own_"
    labels, values = _check_values(chk, {n: x for n, x in by_name.items() if not (shows_own and x is a)})
    lines = [f"static const char *const labels_[] = {{{', '.join(map(cstr, labels)) or 'NULL'}}};",
             f"PyObject *values_[] = {{{', '.join(values) or 'NULL'}}};"]
    if shows_own:
        lines.append(f"char own_[160]; snprintf(own_, sizeof own_, {cstr(f'{r.name}:{a.name}={fmt}')}, ({cast})v_{a.name});")
    lines.append(f"nfw_check_failed({cstr(chk)}, {cstr(_f2py_position(a, params) + ' ' + a.name)}, {own}, "
                 f"{len(labels)}, labels_, values_); goto fail;")
    return " ".join(lines)


def _call_arguments(a: Arg) -> list[tuple[str, str]]:
    """(C expression, C prototype type) of what argument `a` passes to the shim: see
    gen_fortran._Dummy for the Fortran side. Absent OPTIONAL arguments pass NULL."""
    n = a.name
    if a.ftype.base == "derived":
        return [(f"v_{n}", "void *")]
    if a.ftype.base == "character":
        return [(f"s_{n}", "char *"), (f"l_{n}", "int")]
    if a.by_descriptor:
        desc = f"(CFI_cdesc_t *)&cd_{n}"
        return [(f"(arr_{n}.held ? {desc} : NULL)" if a.may_be_absent else desc, "CFI_cdesc_t *")]
    if a.is_array:
        return [(f"(arr_{n}.held ? nfw_data(&arr_{n}) : NULL)" if a.may_be_absent else f"nfw_data(&arr_{n})", "void *")]
    ctype = _scalar_ctype(a.ftype)
    if a.is_value:
        return [(f"v_{n}", ctype)]
    return [(f"p_{n}" if a.may_be_absent else f"&v_{n}", f"{ctype} *")]


class CBinding:
    def __init__(self, interface: Interface):
        self.iface = interface
        self.out: list[str] = []
        self.dtypes = list(interface.derived_types().values())
        self.dtype_index = {t.name: i for i, t in enumerate(self.dtypes)}

    def emit(self, *lines):
        self.out.extend(lines)

    def generate(self, runtime: str) -> str:
        self.emit(f"/* Generated by numfuse.fortran_wrap for module {self.iface.name}: do not edit. */", runtime,
                  f"static nfw_dtype nfw_dtypes[{max(1, len(self.dtypes))}];",
                  "static nfw_dtype *nfw_dtypes_of(PyTypeObject *t) {",
                  f"  for (int i = 0; i < {len(self.dtypes)}; ++i) if (nfw_dtypes[i].type == t) return &nfw_dtypes[i];",
                  "  return &nfw_dtypes[0];", "}", "")
        methods: dict[str, list[str]] = {"": []}
        addresses: dict[str, list[str]] = {"": []}   # the shim's nfw_p_<routine>, in the same order
        self.named = {}   # callbacks Fortran calls by name: one trampoline each, the first signature
        for r in self.iface.all_routines():
            for a in r.args:
                if a.called_by_name and a.name not in self.named:
                    self.named[a.name] = a.callback
                    self.named_trampoline(a.callback)
        for rid_num, r in enumerate(self.iface.all_routines()):
            self.routine(r, rid_num)
            methods.setdefault(r.module, []).append(
                f"{{{cstr(r.name)}, (PyCFunction)(void (*)(void))nfw_py_{routine_id(r)}, METH_FASTCALL | METH_KEYWORDS, {cstr(r.doc)}}},")
            addresses.setdefault(r.module, []).append(f"nfw_p_{routine_id(r)}")
            self.emit(f"extern void nfw_p_{routine_id(r)}(void **p);")
        var_tables = {}
        for m in self.iface.modules:
            var_tables[m.name] = [self.variable(f"{m.name}__{v.name}", v) for v in m.variables]
            for t in m.types:
                self.derived(t)
        for c in self.iface.commons:
            var_tables["/" + c.name] = [self.variable(f"{c.name}__{v.name}", v) for v in c.members]
        for key, rows in methods.items():
            # the top level's table gets a name no Fortran module can have (no leading underscore)
            self.emit(f"static PyMethodDef nfw_methods_{key or '_toplevel'}[] = {{", *["  " + r for r in rows],
                      "  {NULL, NULL, 0, NULL}", "};",
                      f"static void (*const nfw_addresses_{key or '_toplevel'}[])(void **) = {{{', '.join(addresses[key] + ['NULL'])}}};")
        for key, rows in var_tables.items():
            ident = key.lstrip("/") + ("_common" if key.startswith("/") else "")
            self.emit(f"static const nfw_var nfw_vars_{ident}[] = {{", *["  " + r for r in rows], "  {NULL, NULL, NULL, NULL}", "};")
        self.module_init(methods, var_tables)
        return "\n".join(self.out) + "\n"

    # -- routines ---------------------------------------------------------------------------
    def routine(self, r: Routine, rid_num: int) -> None:
        rid = routine_id(r)
        fname = f"{r.module}.{r.name}" if r.module else r.name
        pyargs = python_params(r)
        nrequired = sum(not p.optional for p in pyargs)
        slot = {p.name: i for i, p in enumerate(pyargs)}
        callbacks = [a for a in r.args if a.callback is not None and not a.called_by_name]
        named = [a for a in r.args if a.called_by_name]
        by_name = {a.name: a for a in r.args + r.aux}

        def scalar(n):
            a = by_name.get(n)
            if a is None:
                raise ValueError(f"{r.name}: unknown name {n!r} in an expression")
            if a.is_array:
                raise ValueError(f"{r.name}: array {n!r} used as a scalar in an expression")
            return f"v_{n}"

        def shape(n, k):
            if n not in by_name or not by_name[n].is_array:
                if n in by_name and by_name[n].ftype.base == "character" and k == "0":
                    return f"(Py_ssize_t)l_{n}"
                raise ValueError(f"{r.name}: {n!r} is not an array argument")
            return f"nfw_shape(&arr_{n}, {k})"

        def c_expr(e):
            return to_c(e, scalar, shape)

        L = [f"static PyObject *nfw_py_{rid}(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {{",
             "  (void)self;"]
        names = ", ".join(cstr(a.name) for a in pyargs) or "NULL"
        L += [f"  static const char *const names[] = {{{names}}};", f"  PyObject *o[{max(1, len(pyargs))}];",
              "  PyObject *ret = NULL;"]
        for a in r.args:
            if a.callback is not None:
                continue
            if a.ftype.base == "derived":
                L.append(f"  void *v_{a.name} = NULL; PyObject *d_{a.name} = NULL;")
            elif a.ftype.base == "character":
                L.append(f"  char *s_{a.name} = NULL; int l_{a.name} = 0;")
            elif a.is_array:
                L.append(f"  nfw_array arr_{a.name} = {{0}};")
                if a.by_descriptor:   # base_addr NULL: nothing to free if the call never happens
                    L.append(f"  CFI_CDESC_T({a.rank}) cd_{a.name}; cd_{a.name}.base_addr = NULL;")
            else:
                L.append(f"  {_scalar_ctype(a.ftype)} v_{a.name} = 0;")
                if a.may_be_absent:   # NULL: absent
                    L.append(f"  {_scalar_ctype(a.ftype)} *p_{a.name} = NULL;")
        for a in r.aux:   # f2py's intent(aux): computed with the scalars, never passed
            L.append(f"  {_scalar_ctype(a.ftype)} v_{a.name} = 0;")
        for p in pyargs:   # f2py's overwrite_<x> of an intent(copy)/intent(overwrite) array
            if p.overwrite_of is not None:
                L.append(f"  int ow_{p.overwrite_of.name} = {p.overwrite_of.overwrite_default};")
        if r.result is not None:
            rt = r.result.ftype
            L.append(f"  {'void *' if rt.base == 'derived' else _scalar_ctype(rt) + ' '}v_res = 0;")
        L.append("  nfw_guard guard; PyThreadState *volatile ts_ = NULL; (void)ts_;")
        if callbacks:
            L.append("  nfw_frame frame;")
        L += [f"  nfw_named named_{a.name} = {{0}};" for a in named]
        L.append(f"  if (nfw_parse({cstr(fname)}, args, nargs, kwnames, names, {len(pyargs)}, {nrequired}, o)) return NULL;")

        # phase 1: arrays given by the caller, callables, derived-type objects, strings
        for a in r.args:
            if a.called_by_name:   # given, or (None, hidden) the module attribute
                ins, i, x = callback_inputs(a.callback), slot.get(a.name), slot.get(a.name + "_extra_args")
                L.append(f"  if (nfw_named_prepare(&named_{a.name}, {'NULL' if i is None else f'o[{i}]'}, "
                         f"{'NULL' if x is None else f'o[{x}]'}, {cstr(a.name)}, {len(ins)}, "
                         f"{sum(not y.optional for y in ins)}, {cstr(fname)})) goto fail;")
                continue
            if not a.is_input and not (a.ftype.base == "character"):
                continue
            i = slot.get(a.name)
            o = f"o[{i}]" if i is not None else "NULL"
            if a.callback is not None:
                ins = callback_inputs(a.callback)
                extra = f"o[{slot[a.name + '_extra_args']}]"
                if a.optional and not a.may_be_absent:   # optional in Python only: Fortran needs it
                    L.append(f"  if (!{o} || {o} == Py_None) {{ PyErr_Format(nfw_error, \"%s(): call-back argument '%s' "
                             f"was not given\", {cstr(fname)}, {cstr(a.name)}); goto fail; }}")
                L += _when_given(a, o, [f"if (nfw_cb_prepare(&frame.cb[{callbacks.index(a)}], {o}, {extra}, {len(ins)}, "
                                        f"{sum(not x.optional for x in ins)}, {cstr(fname)}, {cstr(a.name)})) goto fail;"])
            elif a.ftype.base == "derived":
                di = self.dtype_index[a.ftype.derived]
                check = [f"if (!PyObject_TypeCheck({o}, nfw_dtypes[{di}].type)) {{ PyErr_Format(PyExc_TypeError, \"%s(): argument '%s' must be a %s object\", {cstr(fname)}, {cstr(a.name)}, {cstr(a.ftype.derived)}); goto fail; }}",
                         f"v_{a.name} = ((nfw_dobj *){o})->ptr;"]
                L += _when_given(a, o, check)
            elif a.ftype.base == "character":
                fixed = a.ftype.charlen if a.ftype.charlen.isdigit() else "-1"
                src = o if a.is_input else "NULL"
                if a.is_input and a.optional and i is not None:
                    src = f"({o} ? {o} : NULL)"
                get = f"if (nfw_get_string({src}, {cstr(a.name)}, {fixed}, &s_{a.name}, &l_{a.name})) goto fail;"
                L += _when_given(a, o, [get])
            elif a.is_array:
                spec = a.ftype.spec()
                flags = ["NFW_INOUT" if "inout" in a.intent else "NFW_IN"] + (["NFW_ANYSTRIDE"] if a.by_descriptor else
                                                                             ["NFW_FITRANK"])
                if a.is_inplace:
                    flags.append("NFW_INPLACE")
                if a.overwrite_default is not None:   # overwrite_<x>: 1 may write the caller's array, 0 copies
                    ow = slot[f"overwrite_{a.name}"]
                    L.append(f"  if (o[{ow}] && o[{ow}] != Py_None) {{ int64_t t_; if (nfw_to_int(o[{ow}], "
                             f"\"overwrite_{a.name}\", -2147483648LL, 2147483647LL, &t_)) goto fail; ow_{a.name} = t_ != 0; }}")
                    flags.append(f"(ow_{a.name} ? NFW_WRITES : NFW_COPY)")
                get = (f"nfw_get_array({o}, {cstr(fname)}, {cstr(a.name)}, '{spec.code}', {spec.itemsize}, "
                       f"{cstr(spec.np_name)}, {NPY_TYPENUM[spec.np_name]}, {a.rank}, {' | '.join(flags)}, &arr_{a.name})")
                if not a.by_descriptor:   # another rank is reshaped by f2py's rules; constant dimensions are known
                    fixed = ", ".join(d if d.isdigit() else "-1" for d in a.dims)
                    get = (f"({get} || nfw_fit_rank(&arr_{a.name}, {a.rank}, (const Py_ssize_t[]){{{fixed}}}, "
                           f"{cstr(fname)}, {cstr(a.name)}))")
                if a.optional or a.is_allocatable or a.is_pointer:   # None: absent, unallocated, disassociated
                    L.append(f"  if ({o} && {o} != Py_None && {get}) goto fail;")
                else:
                    L.append(f"  if ({get}) goto fail;")
        # phase 2: scalars, in dependency order
        for a in self._scalar_order(r):
            i = slot.get(a.name)
            conv = _conv_scalar(a.ftype, f"o[{i}]", f"v_{a.name}", a.name) if i is not None else []
            if a.may_be_absent:
                conv.append(f"p_{a.name} = &v_{a.name};")
            default = f"v_{a.name} = ({_scalar_ctype(a.ftype)}){c_expr(a.default)};" if a.default else ""
            if i is not None and a.optional:
                L.append(f"  if (o[{i}] && o[{i}] != Py_None) {{ {' '.join(conv)} }} else {{ {default} }}")
            elif i is not None:
                L += ["  " + c for c in conv]
            elif default:
                L.append("  " + default)
        # phase 3: outputs the wrapper allocates
        for a in r.args:
            if a.is_array and not a.is_input and not (a.is_allocatable or a.is_pointer):
                spec = a.ftype.spec()
                dims = ", ".join(f"(Py_ssize_t){c_expr(d)}" for d in a.dims)
                L += [f"  {{ Py_ssize_t sh_[{a.rank}] = {{{dims}}};",
                      f"    if (nfw_new_array({cstr(fname)}, {cstr(a.name)}, '{spec.code}', {spec.itemsize}, {a.rank}, sh_, &arr_{a.name})) goto fail; }}"]
            elif a.ftype.base == "derived" and not a.is_input:
                di = self.dtype_index[a.ftype.derived]
                L += [f"  d_{a.name} = nfw_dobj_new(nfw_dtypes[{di}].type, NULL, NULL);", f"  if (!d_{a.name}) goto fail;",
                      f"  v_{a.name} = ((nfw_dobj *)d_{a.name})->ptr;"]
        # phase 4: checks, declared dimensions against the arrays
        def check(chk, arg_name, guard=""):
            L.append(f"  if ({guard}!({c_expr(chk)})) {{ {_check_failure(r, by_name[arg_name], chk, by_name, pyargs)} }}")
        for a in r.args:
            for chk in a.checks:
                check(chk, a.name)
            if a.is_array and a.is_input and not a.by_descriptor:
                # f2py's rules: every declared dimension matches exactly; a constant one is checked
                # as the array is read (ValueError), one from arguments (x(n) with n given, or
                # x(2*n)) by f2py's check `shape(x, 0) == n` on that argument
                guard = f"arr_{a.name}.held && " if a.optional else ""
                for k, d in enumerate(a.dims):
                    names = sorted(names_in(d) & set(by_name), key=list(by_name).index)
                    if names:
                        check(f"shape({a.name}, {k}) == {d}", names[0], guard)
                    elif d != "*":
                        L.append(f"  if ({guard}nfw_check_dim({cstr(fname)}, {cstr(a.name)}, &arr_{a.name}, {k}, (Py_ssize_t){c_expr(d)}, {cstr(d)})) goto fail;")
        for a in r.args:
            spec = a.ftype.spec() if a.is_array else None
            if a.assumed_shape:
                guard = f"arr_{a.name}.held && " if a.may_be_absent else ""
                L.append(f"  if ({guard}nfw_cdesc((CFI_cdesc_t *)&cd_{a.name}, &arr_{a.name}, {spec.cfi_type}, {a.rank})) goto fail;")
            elif a.is_allocatable:   # the caller's values (if any) copied into a Fortran allocation
                L.append(f"  if (nfw_alloc_cdesc((CFI_cdesc_t *)&cd_{a.name}, &arr_{a.name}, {spec.cfi_type}, {spec.itemsize}, {a.rank})) goto fail;")
            elif a.is_pointer:   # associated with the caller's memory (no copy), or disassociated
                L.append(f"  if (nfw_pointer_cdesc((CFI_cdesc_t *)&cd_{a.name}, &arr_{a.name}, {spec.cfi_type}, {spec.itemsize}, {a.rank})) goto fail;")
        # the call
        cargs, protos = [], []
        for a in r.args:
            if a.callback is not None:
                if a.may_be_absent:   # whether the shim passes the callback or leaves it absent
                    given = f"o[{slot[a.name]}]"
                    cargs.append(f"({given} && {given} != Py_None)")
                    protos.append("int")
                continue
            passed = _call_arguments(a)
            cargs += [c for c, _ in passed]
            protos += [p for _, p in passed]
        if r.result is not None:
            cargs.append("&v_res"); protos.append("void *")
        self.emit(f"extern void nfw_r_{rid}({', '.join(protos) or 'void'});")
        for a in callbacks:
            self.trampoline(rid, rid_num, callbacks.index(a), a.callback, gil=r.threadsafe)
        call = f"nfw_r_{rid}({', '.join(cargs)});"
        # callbacks called by name: this call's callables are the thread's active ones
        L += [f"  named_{a.name}.prev = nfw_active_{a.name}; nfw_active_{a.name} = &named_{a.name};" for a in named]
        # The call, guarded: a Fortran STOP / runtime error longjmps back here (runtime.h)
        L.append("  nfw_guard_push(&guard);")
        if callbacks:
            L.append(f"  nfw_push(&frame, {rid_num});")
        if (callbacks or named) and not r.threadsafe:
            # the GIL stays held, as in f2py: no hand-over per callback (runtime.h, nfw_cb_enter)
            L += [f"  if (setjmp(guard.env) == 0) {{ {call} }}", "  nfw_guard_pop(&guard);"]
        else:   # released for f2py's threadsafe (callbacks take it back) and for calls over large arrays
            if r.threadsafe:
                L.append("  ts_ = PyEval_SaveThread();")
            else:   # a small call keeps it, as f2py's do: releasing costs more than such a call
                spans = " + ".join(f"nfw_bytes(&arr_{a.name})" for a in r.args if a.is_array and a.callback is None
                                   and a.ftype.base not in ("character", "derived"))
                L.append(f"  if ({spans or '0'} >= NFW_RELEASE_GIL_BYTES) ts_ = PyEval_SaveThread();")
            L += [f"  if (setjmp(guard.env) == 0) {{ {call} }}", "  nfw_guard_pop(&guard);",
                  "  if (ts_) PyEval_RestoreThread(ts_);"]
        L += [f"  nfw_active_{a.name} = named_{a.name}.prev;" for a in named]
        # a callback's exception came first: Fortran's error may only be its consequence
        if callbacks:
            L.append("  if (frame.failed) { PyErr_Restore(frame.et, frame.ev, frame.etb); goto fail; }")
        if self.named:   # any routine's Fortran may call a callback by name
            L.append("  if (guard.et) { PyErr_Restore(guard.et, guard.ev, guard.etb); goto fail; }")
        L.append(f"  if (guard.kind) {{ nfw_raise_fortran_error(&guard, {cstr(fname)}); goto fail; }}")
        # intent(inplace) numfuse arrays that had to be converted get the results
        L += [f"  if (nfw_writeback(&arr_{a.name})) goto fail;" for a in r.args if a.is_inplace and a.is_array]
        # results
        outs = python_outputs(r)
        items = []
        for a in outs:
            if a is r.result:
                if a.ftype.base == "derived":
                    items.append(f"nfw_dobj_wrap(&nfw_dtypes[{self.dtype_index[a.ftype.derived]}], v_res)")
                else:
                    items.append(_from_scalar(a.ftype, "v_res", logical_as_int=True))
            elif a.ftype.base == "character":   # NULL: an OPTIONAL string left absent
                items.append(f"(s_{a.name} ? nfw_from_string(s_{a.name}, l_{a.name}) : nfw_none())")
            elif a.ftype.base == "derived":
                items.append(f"(Py_INCREF({'d_' + a.name if not a.is_input else 'o[' + str(slot[a.name]) + ']'}), {'d_' + a.name if not a.is_input else 'o[' + str(slot[a.name]) + ']'})")
            elif a.is_allocatable:   # None when Fortran left it unallocated
                spec = a.ftype.spec()
                items.append(f"nfw_from_alloc((CFI_cdesc_t *)&cd_{a.name}, {cstr(fname)}, {cstr(a.name)}, '{spec.code}', {spec.itemsize})")
            elif a.is_pointer:   # what it points to after the call: the caller's array, or Fortran's memory
                items.append(f"nfw_from_pointer((CFI_cdesc_t *)&cd_{a.name}, &arr_{a.name}, {NPY_TYPENUM[a.ftype.spec().np_name]})")
            elif a.is_array:
                items.append(f"(arr_{a.name}.obj ? nfw_as_numfuse(arr_{a.name}.obj) : nfw_none())")
            else:
                items.append(_from_scalar(a.ftype, f"v_{a.name}", logical_as_int=True))
        if not items:
            L.append("  ret = Py_None; Py_INCREF(ret);")
        elif len(items) == 1:
            L.append(f"  ret = {items[0]};")
        else:
            L.append(f"  {{ PyObject *it_[{len(items)}] = {{{', '.join(items)}}}; ret = PyTuple_New({len(items)});")
            L.append(f"    for (int k_ = 0; k_ < {len(items)}; ++k_) {{ if (!it_[k_] || !ret) {{ Py_CLEAR(ret); }} if (ret) PyTuple_SET_ITEM(ret, k_, it_[k_]); else Py_XDECREF(it_[k_]); }} }}")
        L.append("fail:")
        L += [f"  nfw_named_free(&named_{a.name});" for a in named]
        for a in r.args:
            if a.callback is not None:
                continue
            if a.ftype.base == "character":
                L.append(f"  PyMem_Free(s_{a.name});")
            elif a.ftype.base == "derived":
                L.append(f"  Py_XDECREF(d_{a.name});")
            elif a.is_array:
                L.append(f"  nfw_release(&arr_{a.name});")
                if a.is_allocatable:
                    L.append(f"  nfw_free_alloc((CFI_cdesc_t *)&cd_{a.name});")
        L += ["  return ret;", "}", ""]
        self.emit(*L)

    def _scalar_order(self, r: Routine) -> list[Arg]:
        scalars = [a for a in r.aux + r.args if not a.is_array and a.callback is None
                   and a.ftype.base not in ("character", "derived")]
        names = {a.name for a in scalars}
        done, order = set(), []

        def visit(a, stack=()):
            if a.name in done:
                return
            if a.name in stack:
                raise ValueError(f"{r.name}: circular depend() involving {a.name!r}")
            for d in a.depends:
                if d in names:
                    visit(next(x for x in scalars if x.name == d), stack + (a.name,))
            done.add(a.name)
            order.append(a)
        for a in scalars:
            visit(a)
        return order

    # -- callbacks --------------------------------------------------------------------------
    def trampoline(self, rid: str, rid_num: int, k: int, cb: Callback, gil: bool = False) -> None:
        """The C function Fortran calls for callback k of a routine: f2py's calling convention.
        The Python callable gets the callback's inputs (NumPy views of Fortran's arrays), as many
        as it accepts, plus the extra arguments; what it returns goes to the outputs in order.
        `gil`: the routine released the GIL (threadsafe), the callback takes it back."""
        take, give = (["PyGILState_STATE gil_ = PyGILState_Ensure();"], ["PyGILState_Release(gil_);"]) if gil else ([], [])
        self.callback_function(f"nfw_tramp_{rid}__{cb.name}", cb,
                               take + [f"nfw_frame *f = nfw_cb_enter({rid_num});", f"nfw_cb *c = f ? &f->cb[{k}] : NULL;"],
                               ["nfw_cb_leave(f, failed);"] + give, "f", give)

    def named_trampoline(self, cb: Callback) -> None:
        """f2py's intent(callback) on a non-argument: the C function with the EXTERNAL procedure's
        linker name (gfortran's: lowercase plus '_'), calling the thread's active callable of that
        name or the module attribute (runtime.h, nfw_named_enter)."""
        ins = callback_inputs(cb)
        self.emit(f"static _Thread_local nfw_named *nfw_active_{cb.name};")
        self.callback_function(f"{cb.name.lower()}_", cb,
                               ["PyGILState_STATE gil_ = PyGILState_Ensure();", "nfw_named local_ = {0};",
                                f"nfw_cb *c = nfw_named_enter(nfw_active_{cb.name}, &local_, {cstr(cb.name)}, {len(ins)}, "
                                f"{sum(not x.optional for x in ins)});"],
                               ["(void)failed;", "nfw_named_leave(&local_);", "PyGILState_Release(gil_);"], "c",
                               ["nfw_named_leave(&local_);", "PyGILState_Release(gil_);"])

    def callback_function(self, tramp: str, cb: Callback, enter: list[str], leave: list[str], entered: str,
                          not_entered: list[str]) -> None:
        """A trampoline: `enter` sets `nfw_cb *c` (and `entered`, NULL when the callback must not
        run, then `not_entered` runs), `leave` ends it. A Fortran procedure given as the callback
        (f2py's _cpointer) is called directly with the same arguments."""
        cnames = {x.name for x in cb.args}
        ins, outs = callback_inputs(cb), callback_outputs(cb)
        rt = cb.result
        ret_t = _scalar_ctype(rt) if rt is not None else "void"
        ret = "return result_;" if rt is not None else "return;"
        params = [f"{_scalar_ctype(a.ftype)} *c_{a.name}" for a in cb.args]
        L = [f"{ret_t} {tramp}({', '.join(params) or 'void'}) {{"]
        if rt is not None:
            L.append(f"  {ret_t} result_ = 0;")
        L += ["  " + x for x in enter] + [f"  if (!{entered}) {{ {' '.join(not_entered)} {ret} }}",
              "  Py_ssize_t next = c->extra ? PyTuple_GET_SIZE(c->extra) : 0;",
              f"  PyObject *argv_[{len(ins)} + next + 1], **argv = argv_ + 1;  /* [0]: vectorcall's spare slot */",
              "  PyObject *res = NULL;", "  int failed = 1, built = 0;"]
        direct = f"(({ret_t} (*)({', '.join(f'{_scalar_ctype(a.ftype)} *' for a in cb.args) or 'void'}))c->direct)({', '.join(f'c_{a.name}' for a in cb.args)})"
        L.append(f"  if (c->direct) {{ {'result_ = ' if rt is not None else ''}{direct}; failed = 0; goto done; }}")
        for a in cb.args:
            if a.is_array:
                dims = ", ".join("(int64_t)" + to_c(d, lambda n: f"(*c_{n})" if n in cnames else n, lambda n, kk: "0")
                                 for d in a.dims)
                L.append(f"  const int64_t sh_{a.name}[{a.rank}] = {{{dims}}};")
        for i, a in enumerate(ins):
            if a.is_array:
                make = f"nfw_cb_array(c_{a.name}, {NPY_TYPENUM[a.ftype.spec().np_name]}, {a.rank}, sh_{a.name})"
            else:
                make = _from_scalar(a.ftype, "*c_" + a.name, logical_as_int=True)
            L.append(f"  if (c->npass > {i}) {{ if (!(argv[{i}] = {make})) goto done; built = {i + 1}; }}")
        L += ["  for (Py_ssize_t j = 0; j < next; ++j) argv[c->npass + j] = PyTuple_GET_ITEM(c->extra, j);",
              "  res = PyObject_Vectorcall(c->fn, argv, (size_t)(c->npass + next) | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);",
              "  if (!res) goto done;"]
        if outs:
            L.append("  { PyObject *one_, *const *items_; Py_ssize_t nres_ = nfw_cb_results(res, &one_, &items_);")
            if rt is not None:
                L.append(f"    if (nres_ == 0) {{ PyErr_Format(PyExc_TypeError, \"callback '%s' returned None; it must return "
                         f"its result ({_scalar_name(rt)})\", {cstr(cb.name)}); goto done; }}")
            for i, a in enumerate(outs):
                what = f"{cb.name}() result {a.name}"
                if i == 0 and rt is not None:
                    L += ["    " + c.replace("goto fail", "goto done") for c in _conv_scalar(rt, "items_[0]", "result_", what)]
                elif a.is_array:
                    L.append(f"    if (nres_ > {i} && nfw_cb_store(items_[{i}], c_{a.name}, "
                             f"{NPY_TYPENUM[a.ftype.spec().np_name]}, {a.rank}, sh_{a.name})) goto done;")
                else:
                    conv = " ".join(_conv_scalar(a.ftype, f"items_[{i}]", f"(*c_{a.name})", what))
                    L.append(f"    if (nres_ > {i}) {conv.replace('goto fail', 'goto done')}")
            L.append("  }")
        L += ["  failed = 0;", "done:", "  Py_XDECREF(res);", "  for (int i = 0; i < built; ++i) Py_DECREF(argv[i]);",
              *["  " + x for x in leave], f"  {ret}", "}", ""]
        self.emit(*L)

    # -- variables --------------------------------------------------------------------------
    def variable(self, vid: str, v: Variable) -> str:
        t = v.ftype
        doc = f"{t.fortran()}{'(' + ', '.join(v.dims) + ')' if v.dims else ''}{', parameter' if v.parameter else ''}{', allocatable' if v.allocatable else ''}"
        if v.dims:
            spec = t.spec()
            rank = len(v.dims)
            self.emit(f"extern void nfw_ainfo_{vid}(int *flag, int64_t *shape, void **p);",
                      f"static PyObject *nfw_vget_{vid}(void) {{",
                      f"  int flag = 0; int64_t sh[{rank}]; void *p = NULL;", f"  nfw_ainfo_{vid}(&flag, sh, &p);",
                      "  if (!flag) Py_RETURN_NONE;",
                      f"  return nfw_view(p, {cstr(spec.np_name)}, {spec.itemsize}, {rank}, sh);", "}")
            setter = [f"static int nfw_vset_{vid}(PyObject *value) {{"]
            if v.allocatable:
                self.emit(f"extern void nfw_alloc_{vid}(int64_t *shape);", f"extern void nfw_dealloc_{vid}(void);")
                setter += [f"  if (value == Py_None) {{ nfw_dealloc_{vid}(); return 0; }}",
                           f"  PyObject *src = PyObject_CallMethod(nfw_helpers, \"prepare\", \"Osi\", value, {cstr(spec.np_name)}, {rank});",
                           "  if (!src) return -1;",
                           f"  int64_t sh[{rank}];",
                           f"  for (int k = 0; k < {rank}; ++k) {{ PyObject *d = PySequence_GetItem(PyObject_GetAttrString(src, \"shape\"), k); sh[k] = PyLong_AsLongLong(d); Py_XDECREF(d); }}",
                           f"  nfw_alloc_{vid}(sh);", "  Py_DECREF(src);"]
            setter += [f"  PyObject *view = nfw_vget_{vid}();", "  if (!view) return -1;",
                       "  PyObject *r = PyObject_CallMethod(nfw_helpers, \"assign\", \"OO\", view, value);",
                       "  Py_DECREF(view);", "  if (!r) return -1;", "  Py_DECREF(r);", "  return 0;", "}"]
            self.emit(*setter)
            return f"{{{cstr(v.name)}, nfw_vget_{vid}, nfw_vset_{vid}, {cstr(doc)}}},"
        if t.base == "character":
            n = t.charlen
            self.emit(f"extern void nfw_get_{vid}(char *v);", f"static PyObject *nfw_vget_{vid}(void) {{",
                      f"  char buf[{n}]; nfw_get_{vid}(buf); return nfw_from_string(buf, {n});", "}")
            if not v.parameter:
                self.emit(f"extern void nfw_set_{vid}(char *v);", f"static int nfw_vset_{vid}(PyObject *value) {{",
                          "  char *s = NULL; int l = 0;", f"  if (nfw_get_string(value, {cstr(v.name)}, {n}, &s, &l)) return -1;",
                          f"  nfw_set_{vid}(s); PyMem_Free(s); return 0;", "}")
        else:
            ct = _scalar_ctype(t)
            self.emit(f"extern void nfw_get_{vid}({ct} *v);", f"static PyObject *nfw_vget_{vid}(void) {{",
                      f"  {ct} v = 0; nfw_get_{vid}(&v); return {_from_scalar(t, 'v')};", "}")
            if not v.parameter:
                conv = _conv_scalar(t, "value", "v", v.name)
                self.emit(f"extern void nfw_set_{vid}({ct} *v);", f"static int nfw_vset_{vid}(PyObject *value) {{",
                          f"  {ct} v = 0;", *["  " + c for c in conv], f"  nfw_set_{vid}(&v); return 0;", "fail: return -1;", "}")
        setter = "NULL" if v.parameter else f"nfw_vset_{vid}"
        return f"{{{cstr(v.name)}, nfw_vget_{vid}, {setter}, {cstr(doc)}}},"

    def derived(self, t) -> None:
        tid = f"{t.module}__{t.name}"
        rows = []
        for c in t.components:
            cid = f"{tid}__{c.name}"
            ft = c.ftype
            if c.dims:
                spec = ft.spec()
                shape = [int(d) if d.isdigit() else None for d in c.dims]
                if None in shape:
                    continue
                self.emit(f"extern void nfw_addr_{cid}(void *p, void **a);",
                          f"static PyObject *nfw_fget_{cid}(void *p) {{ void *a = NULL; nfw_addr_{cid}(p, &a);",
                          f"  int64_t sh[{len(shape)}] = {{{', '.join(map(str, shape))}}}; return nfw_view(a, {cstr(spec.np_name)}, {spec.itemsize}, {len(shape)}, sh); }}",
                          f"static int nfw_fset_{cid}(void *p, PyObject *value) {{ PyObject *view = nfw_fget_{cid}(p); if (!view) return -1;",
                          "  PyObject *r = PyObject_CallMethod(nfw_helpers, \"assign\", \"OO\", view, value); Py_DECREF(view);",
                          "  if (!r) return -1; Py_DECREF(r); return 0; }")
            elif ft.base == "character":
                n = ft.charlen
                self.emit(f"extern void nfw_cget_{cid}(void *p, char *v);", f"extern void nfw_cset_{cid}(void *p, char *v);",
                          f"static PyObject *nfw_fget_{cid}(void *p) {{ char buf[{n}]; nfw_cget_{cid}(p, buf); return nfw_from_string(buf, {n}); }}",
                          f"static int nfw_fset_{cid}(void *p, PyObject *value) {{ char *s = NULL; int l = 0;",
                          f"  if (nfw_get_string(value, {cstr(c.name)}, {n}, &s, &l)) return -1; nfw_cset_{cid}(p, s); PyMem_Free(s); return 0; }}")
            else:
                ct = _scalar_ctype(ft)
                self.emit(f"extern void nfw_cget_{cid}(void *p, {ct} *v);", f"extern void nfw_cset_{cid}(void *p, {ct} *v);",
                          f"static PyObject *nfw_fget_{cid}(void *p) {{ {ct} v = 0; nfw_cget_{cid}(p, &v); return {_from_scalar(ft, 'v')}; }}",
                          f"static int nfw_fset_{cid}(void *p, PyObject *value) {{ {ct} v = 0;",
                          *["  " + x for x in _conv_scalar(ft, "value", "v", c.name)],
                          f"  nfw_cset_{cid}(p, &v); return 0;", "fail: return -1; }")
            rows.append(c.name)
        self.emit(f"extern void nfw_new_{tid}(void **p);", f"extern void nfw_free_{tid}(void *p);",
                  f"static const nfw_field nfw_fields_{tid}[] = {{",
                  *[f"  {{{cstr(n)}, nfw_fget_{tid}__{n}, nfw_fset_{tid}__{n}}}," for n in rows], "  {NULL, NULL, NULL}", "};",
                  f"static PyGetSetDef nfw_getset_{tid}[] = {{",
                  *[f"  {{{cstr(n)}, nfw_field_get, nfw_field_set, NULL, (void *)&nfw_fields_{tid}[{i}]}}," for i, n in enumerate(rows)],
                  "  {NULL, NULL, NULL, NULL, NULL}", "};")

    def module_init(self, methods, var_tables) -> None:
        name = self.iface.name
        L = [f"static struct PyModuleDef nfw_moddef = {{PyModuleDef_HEAD_INIT, {cstr(name)}, "
             f"{cstr(extension_doc(self.iface))}, -1, NULL}};",
             f"PyMODINIT_FUNC PyInit_{name}(void) {{",
             "  if (nfw_runtime_init()) return NULL;",
             "  if (PyType_Ready(&nfw_mod_type) < 0) return NULL;",
             "  PyObject *m = PyModule_Create(&nfw_moddef);", "  if (!m) return NULL;",
             "  nfw_module = m;   /* borrowed: callbacks called by name are its attributes */",
             "  if (nfw_add_functions(PyModule_GetDict(m), nfw_methods__toplevel, nfw_addresses__toplevel)) return NULL;",
             # f2py's <module>.error (also as f2py's attribute _<module>_error), raised by failed checks
             f"  nfw_error = PyErr_NewException({cstr(name + '.error')}, PyExc_ValueError, NULL);",
             "  if (!nfw_error || PyModule_AddObjectRef(m, \"error\", nfw_error) < 0 ||",
             f"      PyModule_AddObjectRef(m, {cstr('_' + name + '_error')}, nfw_error) < 0) return NULL;"]
        for i, t in enumerate(self.dtypes):
            tid = f"{t.module}__{t.name}"
            L += [f"  nfw_dtypes[{i}] = (nfw_dtype){{{cstr(t.name)}, nfw_new_{tid}, nfw_free_{tid}, nfw_fields_{tid}, NULL}};",
                  f"  if (!nfw_make_dtype(&nfw_dtypes[{i}], {cstr(name + '.' + t.module + '.' + t.name)}, nfw_getset_{tid})) return NULL;"]
        for m in self.iface.modules:
            doc = fortran_module_doc(m)
            L += ["  {", f"    PyObject *mo = nfw_new_modobj({cstr(m.name)}, nfw_vars_{m.name}, {cstr(doc)});",
                  "    if (!mo) return NULL;"]
            if m.name in methods:
                L.append(f"    if (nfw_add_functions(((nfw_modobj *)mo)->dict, nfw_methods_{m.name}, nfw_addresses_{m.name})) return NULL;")
            for t in m.types:
                i = self.dtype_index[t.name]
                L.append(f"    PyDict_SetItemString(((nfw_modobj *)mo)->dict, {cstr(t.name)}, (PyObject *)nfw_dtypes[{i}].type);")
            L += [f"    PyModule_AddObject(m, {cstr(m.name)}, mo);", "  }"]
        for c in self.iface.commons:
            doc = common_doc(c)
            L += [f"  PyModule_AddObject(m, {cstr(c.name)}, nfw_new_modobj({cstr(c.name)}, nfw_vars_{c.name}_common, {cstr(doc)}));"]
        L += ["  return m;", "}"]
        self.emit(*L)


def generate_c(interface: Interface, runtime: str) -> str:
    return CBinding(interface).generate(runtime)
