/* numfuse.fortran_wrap runtime: included once by every generated binding (one extension module).
 * Argument parsing, array acquisition without silent copies, scalar conversion, the per-thread
 * callback frame stack, and the generic Python types for Fortran modules and derived types. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <complex.h>
#include <stdint.h>
#include <string.h>
#include <ISO_Fortran_binding.h>
/* NumPy's C API only for the fast path of NumPy array arguments: its buffer export costs ~1 µs. */
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>
/* numfuse's C API (numfuse/include/numfuse_capi.h): numfuse arrays are read and created without
 * Python calls or the buffer protocol. */
#include "numfuse_capi.h"

#define NFW_MIN(a, b) ((a) < (b) ? (a) : (b))
#define NFW_MAX(a, b) ((a) > (b) ? (a) : (b))
#define NFW_ABS(a) ((a) < 0 ? -(a) : (a))
#define NFW_MOD(a, b) ((a) % (b))
#define NFW_MAXDIM 15

static PyObject *nfw_numpy, *nfw_nf_empty, *nfw_nf_asarray, *nfw_helpers;
static PyTypeObject *nfw_nf_ndarray;
static const numfuse_capi *nfw_nf_api;

static int nfw_runtime_init(void) {
  if (_import_array() < 0) return -1;
  PyObject *nf = PyImport_ImportModule("numfuse");
  if (!nf) return -1;
  nfw_numpy = PyImport_ImportModule("numpy");
  nfw_helpers = PyImport_ImportModule("numfuse.fortran_wrap._runtime");
  nfw_nf_empty = PyObject_GetAttrString(nf, "empty");
  nfw_nf_asarray = PyObject_GetAttrString(nf, "asarray");
  Py_DECREF(nf);
  nfw_nf_api = numfuse_capi_import();
  if (!nfw_numpy || !nfw_helpers || !nfw_nf_empty || !nfw_nf_asarray || !nfw_nf_api) return -1;
  nfw_nf_ndarray = nfw_nf_api->ndarray_type;
  return 0;
}

/* ---- arguments ---------------------------------------------------------------------------- */
static int nfw_parse(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                     const char *const *names, int nnames, int nrequired, PyObject **slots) {
  for (int i = 0; i < nnames; ++i) slots[i] = NULL;
  if (nargs > nnames) {
    PyErr_Format(PyExc_TypeError, "%s() takes at most %d arguments (%zd given)", fname, nnames, nargs);
    return -1;
  }
  for (Py_ssize_t i = 0; i < nargs; ++i) slots[i] = args[i];
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject *key = PyTuple_GET_ITEM(kwnames, k);
    int found = -1;
    for (int i = 0; i < nnames; ++i)
      if (PyUnicode_CompareWithASCIIString(key, names[i]) == 0) { found = i; break; }
    if (found < 0) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fname, key);
      return -1;
    }
    if (slots[found]) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fname, names[found]);
      return -1;
    }
    slots[found] = args[nargs + k];
  }
  for (int i = 0; i < nrequired; ++i)
    if (!slots[i]) {
      PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %d)", fname, names[i], i + 1);
      return -1;
    }
  return 0;
}

/* ---- scalars ------------------------------------------------------------------------------ */
static int nfw_to_int(PyObject *o, const char *arg, int64_t lo, int64_t hi, int64_t *out) {
  PyObject *idx = PyNumber_Index(o);
  if (!idx) {
    PyErr_Format(PyExc_TypeError, "argument '%s' must be an integer, not %.100s", arg, Py_TYPE(o)->tp_name);
    return -1;
  }
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(idx, &overflow);
  Py_DECREF(idx);
  if (overflow || v < lo || v > hi) {
    PyErr_Format(PyExc_OverflowError, "argument '%s' is out of range of its Fortran integer kind", arg);
    return -1;
  }
  *out = v;
  return 0;
}

static int nfw_to_double(PyObject *o, const char *arg, double *out) {
  *out = PyFloat_AsDouble(o);
  if (*out == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "argument '%s' must be a real number, not %.100s", arg, Py_TYPE(o)->tp_name);
    return -1;
  }
  return 0;
}

static int nfw_to_complex(PyObject *o, const char *arg, double _Complex *out) {
  Py_complex c = PyComplex_AsCComplex(o);
  if (c.real == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "argument '%s' must be a complex number, not %.100s", arg, Py_TYPE(o)->tp_name);
    return -1;
  }
  *out = c.real + c.imag * I;
  return 0;
}

static int nfw_to_bool(PyObject *o, const char *arg, int32_t *out) {
  int v = PyObject_IsTrue(o);
  (void)arg;
  if (v < 0) return -1;
  *out = v;
  return 0;
}

static PyObject *nfw_from_complex(double _Complex v) { return PyComplex_FromDoubles(creal(v), cimag(v)); }

/* Strings: the Fortran side gets a private buffer of the Python string's bytes (or blanks). */
static int nfw_get_string(PyObject *o, const char *arg, Py_ssize_t fixed_len, char **buf, int *len) {
  const char *s = "";
  Py_ssize_t n = 0;
  if (o) {
    if (PyUnicode_Check(o)) {
      s = PyUnicode_AsUTF8AndSize(o, &n);
      if (!s) return -1;
    } else if (PyBytes_Check(o)) {
      s = PyBytes_AS_STRING(o);
      n = PyBytes_GET_SIZE(o);
    } else {
      PyErr_Format(PyExc_TypeError, "argument '%s' must be str, not %.100s", arg, Py_TYPE(o)->tp_name);
      return -1;
    }
  }
  Py_ssize_t size = fixed_len >= 0 ? fixed_len : n;
  *buf = PyMem_Malloc(size + 1);
  if (!*buf) { PyErr_NoMemory(); return -1; }
  memset(*buf, ' ', size);
  memcpy(*buf, s, n < size ? n : size);
  (*buf)[size] = 0;
  *len = (int)size;
  return 0;
}

static PyObject *nfw_from_string(const char *buf, int len) {
  while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == 0)) --len;
  return PyUnicode_DecodeLatin1(buf, len, NULL);
}

/* ---- arrays ------------------------------------------------------------------------------- */
typedef struct {
  Py_buffer view;
  int held;      /* 1: view is a held buffer; 2: view was filled from a NumPy or numfuse array's own
                    fields (nothing to release) */
  PyObject *obj; /* the object whose memory is used: the argument itself or a converted copy */
  Py_ssize_t shape[NFW_MAXDIM], strides[NFW_MAXDIM]; /* the view's, for numfuse arrays */
  /* nfw_fit_rank gave the view another rank: the exporter's own shape/strides, given back to it
   * before the buffer is released */
  Py_ssize_t *orig_shape, *orig_strides;
  int orig_ndim;
  PyObject *writeback; /* intent(inplace) numfuse array that gets obj's values after the call */
} nfw_array;

/* A call whose arrays span fewer bytes keeps the GIL (as f2py's calls do): handing it over costs
 * ~0.1 us, more than such a call's own work; past this size it is under 1% of the call. */
#ifndef NFW_RELEASE_GIL_BYTES
#define NFW_RELEASE_GIL_BYTES 65536
#endif

/* The bytes an array argument spans (0 when absent). */
static Py_ssize_t nfw_bytes(const nfw_array *a) {
  if (!a->obj) return 0;
  if (!a->view.shape) return a->view.len;
  Py_ssize_t n = a->view.itemsize;
  for (int k = 0; k < a->view.ndim; ++k) n *= a->view.shape[k];
  return n;
}

/* NFW_COPY: f2py's intent(copy) (or overwrite) with overwrite_<x> = 0: the routine gets a copy.
 * NFW_WRITES: overwrite_<x> = 1: the routine may write the caller's array (passed in place when
 * writable and suitable, else a copy). NFW_INPLACE: f2py's intent(inplace) (with NFW_INOUT). */
enum { NFW_COPY = 16, NFW_WRITES = 32, NFW_INPLACE = 64 };

/* NFW_FITRANK: another rank is accepted, nfw_fit_rank then reshapes it as f2py does */
enum { NFW_IN = 1, NFW_INOUT = 2, NFW_ANYSTRIDE = 4, NFW_FITRANK = 8 };

static int nfw_format_ok(const Py_buffer *v, char code, Py_ssize_t itemsize) {
  const char *f = v->format ? v->format : "B";
  while (*f == '@' || *f == '=' || *f == '<' || *f == '|') ++f;
  if (v->itemsize != itemsize || !f[0]) return 0;
  switch (code) {
    case 'i': return strchr("bhilqn", f[0]) != NULL && f[1] == 0;
    case 'f': return (f[0] == 'f' || f[0] == 'd') && f[1] == 0;
    case 'c': return f[0] == 'Z' && (f[1] == 'f' || f[1] == 'd') && f[2] == 0;
    case 'b': return f[0] == '?' && f[1] == 0;
  }
  return 0;
}

static int nfw_contiguous(const Py_buffer *v, int fortran) {
  Py_ssize_t expect = v->itemsize;
  for (int k = 0; k < v->ndim; ++k) {
    int i = fortran ? k : v->ndim - 1 - k;
    if (v->shape[i] == 0) return 1;
    if (v->shape[i] != 1 && v->strides[i] != expect) return 0;
    expect *= v->shape[i];
  }
  return 1;
}

static const char *nfw_layout_problem(const Py_buffer *v, int rank, char code, Py_ssize_t itemsize, int flags,
                                      char *msg, size_t msglen) {
  if (v->ndim != rank && !(flags & NFW_FITRANK)) {
    snprintf(msg, msglen, "has %d dimensions, expected %d", v->ndim, rank);
    return msg;
  }
  if (!nfw_format_ok(v, code, itemsize)) {
    snprintf(msg, msglen, "has the wrong dtype (buffer format '%s', itemsize %zd)", v->format ? v->format : "B",
             v->itemsize);
    return msg;
  }
  if (flags & NFW_ANYSTRIDE) {
    for (int k = 0; k < v->ndim; ++k)
      if (v->strides[k] % itemsize != 0) return "has strides that are not a multiple of its itemsize";
    return NULL;
  }
  if (!nfw_contiguous(v, 1)) return nfw_contiguous(v, 0) ? "is C-ordered (not Fortran-contiguous)" : "is not contiguous";
  return NULL;
}

/* Fills out->view from a numfuse array's layout; returns why it cannot be used as is, or NULL. */
static const char *nfw_nf_layout_problem(nfw_array *out, const numfuse_layout *lay, int rank, char code,
                                         Py_ssize_t itemsize, int flags, char *msg, size_t msglen) {
  if ((flags & (NFW_INOUT | NFW_WRITES)) && !lay->writeable) return "is read-only";
  if ((lay->ndim != rank && !(flags & NFW_FITRANK)) || lay->ndim > NFW_MAXDIM) {
    snprintf(msg, msglen, "has %d dimensions, expected %d", lay->ndim, rank);
    return msg;
  }
  rank = lay->ndim;
  if (lay->kind != code || lay->itemsize != itemsize) { /* code is NumPy's kind: 'i', 'f', 'c', 'b' */
    snprintf(msg, msglen, "has the wrong dtype (%c%d)", lay->kind, lay->itemsize);
    return msg;
  }
  Py_buffer *v = &out->view;
  v->buf = lay->data;
  v->ndim = rank;
  v->itemsize = itemsize;
  v->format = NULL;
  v->shape = out->shape;
  v->strides = out->strides;
  for (int k = 0; k < rank; ++k) {
    out->shape[k] = (Py_ssize_t)lay->shape[k];
    out->strides[k] = (Py_ssize_t)lay->strides[k];
  }
  if (flags & NFW_ANYSTRIDE) {
    for (int k = 0; k < rank; ++k)
      if (out->strides[k] % itemsize != 0) return "has strides that are not a multiple of its itemsize";
    return NULL;
  }
  if (!lay->f_contiguous && !nfw_contiguous(v, 1))
    return nfw_contiguous(v, 0) ? "is C-ordered (not Fortran-contiguous)" : "is not contiguous";
  return NULL;
}

/* Gets the data of an array argument. intent(in) may convert (a copy the caller does not need to
 * see); intent(inout) must pass the caller's own memory, or raise ValueError saying why not. */
/* The caller's own array is passed as is (held = 2: a new reference, no copy to write back). */
static int nfw_hold_in_place(nfw_array *out, PyObject *o) {
  out->held = 2;
  Py_INCREF(o);
  out->obj = o;
  return 0;
}

static int nfw_inplace_convert(PyObject *o, const char *fname, const char *arg, char code, Py_ssize_t itemsize,
                               const char *np_name, int typenum, int rank, int flags, const char *problem,
                               nfw_array *out);
static PyObject *nfw_fortran_copy(PyObject *o, int typenum);

static int nfw_get_array(PyObject *o, const char *fname, const char *arg, char code, Py_ssize_t itemsize,
                         const char *np_name, int typenum, int rank, int flags, nfw_array *out) {
  char msg[160];
  const char *problem = NULL;
  out->held = 0;
  out->obj = NULL;
  out->orig_shape = NULL;
  out->writeback = NULL;
  if (flags & NFW_COPY) { /* overwrite_<x> = 0: never the caller's memory */
    problem = "must be copied (overwrite flag 0)";
    goto cannot_use;
  }
  if (PyArray_Check(o)) { /* fast path: same checks, read from the NumPy array itself */
    PyArrayObject *a = (PyArrayObject *)o;
    PyArray_Descr *d = PyArray_DESCR(a);
    Py_buffer *v = &out->view;
    v->buf = PyArray_DATA(a);
    v->ndim = PyArray_NDIM(a);
    v->shape = PyArray_DIMS(a);
    v->strides = PyArray_STRIDES(a);
    v->itemsize = PyArray_ITEMSIZE(a);
    v->format = NULL;
    if ((flags & (NFW_INOUT | NFW_WRITES)) && !PyArray_ISWRITEABLE(a)) {
      problem = "is read-only";
    } else if (v->ndim != rank && !(flags & NFW_FITRANK)) {
      snprintf(msg, sizeof msg, "has %d dimensions, expected %d", v->ndim, rank);
      problem = msg;
    } else if ((d->type_num != typenum && !PyArray_EquivTypenums(d->type_num, typenum)) || !PyArray_ISNOTSWAPPED(a)) {
      snprintf(msg, sizeof msg, "has the wrong dtype (%c%d)", d->kind, (int)v->itemsize);
      problem = msg;
    } else if (flags & NFW_ANYSTRIDE) {
      for (int k = 0; k < v->ndim; ++k)
        if (v->strides[k] % itemsize != 0) problem = "has strides that are not a multiple of its itemsize";
    } else if (!PyArray_IS_F_CONTIGUOUS(a) && !nfw_contiguous(v, 1)) {
      problem = nfw_contiguous(v, 0) ? "is C-ordered (not Fortran-contiguous)" : "is not contiguous";
    }
    if (!problem) return nfw_hold_in_place(out, o);
    goto cannot_use;
  }
  if (PyObject_TypeCheck(o, nfw_nf_ndarray)) { /* fast path through numfuse's C API */
    numfuse_layout lay;
    /* Pending values are computed; for inout, pending expressions reading this memory run first
     * (they see the old values). */
    if (nfw_nf_api->layout(o, (flags & (NFW_INOUT | NFW_WRITES)) ? NUMFUSE_FOR_WRITE : NUMFUSE_FOR_READ, &lay) < 0)
      return -1;
    problem = nfw_nf_layout_problem(out, &lay, rank, code, itemsize, flags, msg, sizeof msg);
    if (!problem) return nfw_hold_in_place(out, o);
    goto cannot_use;
  }
  const int inout = flags & NFW_INOUT;
  if (PyObject_GetBuffer(o, &out->view, (flags & (NFW_INOUT | NFW_WRITES)) ? PyBUF_RECORDS : PyBUF_RECORDS_RO) == 0) {
    problem = nfw_layout_problem(&out->view, rank, code, itemsize, flags, msg, sizeof msg);
    if (!problem) {
      out->held = 1;
      Py_INCREF(o);
      out->obj = o;
      return 0;
    }
    PyBuffer_Release(&out->view);
  } else {
    PyErr_Clear();
    problem = inout ? "is not a writable array" : NULL;
  }
cannot_use:
  if (flags & NFW_INPLACE) return nfw_inplace_convert(o, fname, arg, code, itemsize, np_name, typenum, rank, flags, problem, out);
  if (flags & NFW_INOUT) { /* not `inout`: the fast paths jump here past its initialization */
    PyErr_Format(PyExc_ValueError,
                 "%s(): intent(inout) argument '%s' (%.60s) %s; it would need a copy that the caller never sees. "
                 "Pass a writable Fortran-ordered %s array of rank %d, e.g. numfuse.asfortranarray(x, dtype='%s')",
                 fname, arg, Py_TYPE(o)->tp_name, problem, np_name, rank, np_name);
    return -1;
  }
  /* a copy the routine may write (copy/overwrite), or whatever conversion reads the values */
  PyObject *conv = (flags & (NFW_COPY | NFW_WRITES)) ? nfw_fortran_copy(o, typenum)
                                                     : PyObject_CallMethod(nfw_numpy, "asfortranarray", "Os", o, np_name);
  if (!conv) return -1;
  if (PyObject_GetBuffer(conv, &out->view, PyBUF_RECORDS_RO) != 0) {
    Py_DECREF(conv);
    return -1;
  }
  if (out->view.ndim != rank && !(flags & NFW_FITRANK)) {
    PyErr_Format(PyExc_ValueError, "%s(): argument '%s' has %d dimensions, expected %d", fname, arg,
                 out->view.ndim, rank);
    PyBuffer_Release(&out->view);
    Py_DECREF(conv);
    return -1;
  }
  out->held = 1;
  out->obj = conv;
  return 0;
}

/* A new writable Fortran-ordered NumPy array with o's values converted to typenum (as f2py: any
 * cast), never sharing o's memory. */
static PyObject *nfw_fortran_copy(PyObject *o, int typenum) {
  return PyArray_FromAny(o, PyArray_DescrFromType(typenum), 0, 0,
                         NPY_ARRAY_FARRAY | NPY_ARRAY_ENSURECOPY | NPY_ARRAY_FORCECAST, NULL);
}

/* f2py's intent(inplace) for a NumPy array that cannot be passed as is (dtype, order, read-only):
 * the array object itself takes a converted Fortran-ordered copy (f2py's swap_arrays), so the
 * caller's `x` has the routine's results afterwards, with the routine's dtype. Unlike f2py, the
 * old memory stays alive as long as x (its base), since views of x may still point into it. */
static void nfw_take_over(PyArrayObject *a, PyArrayObject *conv) {
  PyArrayObject_fields *x = (PyArrayObject_fields *)a, *y = (PyArrayObject_fields *)conv;
#define NFW_SWAP(field, type) { type t_ = x->field; x->field = y->field; y->field = t_; }
  NFW_SWAP(data, char *)
  NFW_SWAP(nd, int)
  NFW_SWAP(dimensions, npy_intp *)
  NFW_SWAP(strides, npy_intp *)
  NFW_SWAP(base, PyObject *)
  NFW_SWAP(descr, PyArray_Descr *)
  NFW_SWAP(flags, int)
  NFW_SWAP(mem_handler, PyObject *)
#undef NFW_SWAP
  x->base = (PyObject *)conv; /* was conv's: NULL; the reference to conv moves here */
}

/* intent(inplace) when the argument cannot be used as it is: a NumPy array takes the converted
 * copy over (above); a writable numfuse array gets the copy's values back after the call
 * (nfw_writeback); anything else is refused (TypeError, as f2py's "not an array"). */
static int nfw_inplace_convert(PyObject *o, const char *fname, const char *arg, char code, Py_ssize_t itemsize,
                               const char *np_name, int typenum, int rank, int flags, const char *problem,
                               nfw_array *out) {
  int numpy = PyArray_Check(o), numfuse = PyObject_TypeCheck(o, nfw_nf_ndarray);
  if (!numpy && !numfuse) {
    PyErr_Format(PyExc_TypeError, "%s(): intent(inplace) argument '%s' is not an array (%.60s); pass a NumPy or "
                 "numfuse array of rank %d", fname, arg, Py_TYPE(o)->tp_name, rank);
    return -1;
  }
  if (numfuse && problem && strcmp(problem, "is read-only") == 0) {
    PyErr_Format(PyExc_ValueError, "%s(): intent(inplace) argument '%s' is read-only", fname, arg);
    return -1;
  }
  PyObject *conv = nfw_fortran_copy(o, typenum);
  if (!conv) return -1;
  if (PyArray_NDIM((PyArrayObject *)conv) != rank && !(flags & NFW_FITRANK)) {
    PyErr_Format(PyExc_ValueError, "%s(): argument '%s' has %d dimensions, expected %d", fname, arg,
                 PyArray_NDIM((PyArrayObject *)conv), rank);
    Py_DECREF(conv);
    return -1;
  }
  if (numpy) {
    nfw_take_over((PyArrayObject *)o, (PyArrayObject *)conv); /* conv's reference now held by o */
    return nfw_get_array(o, fname, arg, code, itemsize, np_name, typenum, rank, flags & ~NFW_INPLACE, out);
  }
  if (PyObject_GetBuffer(conv, &out->view, PyBUF_RECORDS) != 0) {
    Py_DECREF(conv);
    return -1;
  }
  out->held = 1;
  out->obj = conv;
  Py_INCREF(o);
  out->writeback = o;
  return 0;
}

/* After the call: an intent(inplace) numfuse array gets the values of the copy the routine
 * worked on (cast back to its dtype); it is what the routine returns for it. */
static int nfw_writeback(nfw_array *a) {
  if (!a->writeback) return 0;
  if (PyObject_SetItem(a->writeback, Py_Ellipsis, a->obj) < 0) return -1;
  Py_SETREF(a->obj, a->writeback);
  a->writeback = NULL;
  return 0;
}

/* A new Fortran-ordered numfuse array for an intent(out) argument (code: NumPy's dtype kind). */
static int nfw_new_array(const char *fname, const char *arg, char code, Py_ssize_t itemsize, int rank,
                         const Py_ssize_t *shape, nfw_array *out) {
  out->held = 0;
  out->obj = NULL;
  for (int k = 0; k < rank; ++k) {
    if (shape[k] < 0) {
      PyErr_Format(PyExc_ValueError, "%s(): output '%s' would have negative dimension %zd", fname, arg, shape[k]);
      return -1;
    }
  }
  numfuse_layout lay;
  PyObject *a = nfw_nf_api->empty(code, (int)itemsize, rank, shape, 1, &lay);
  if (!a) return -1;
  char msg[160];
  const char *problem = nfw_nf_layout_problem(out, &lay, rank, code, itemsize, NFW_INOUT, msg, sizeof msg);
  if (problem) { /* cannot happen: numfuse made it as asked */
    PyErr_Format(PyExc_RuntimeError, "%s(): new output '%s' %s", fname, arg, problem);
    Py_DECREF(a);
    return -1;
  }
  /* zero-filled as f2py's: an output the routine (or a callback) leaves unwritten reads as 0 */
  Py_ssize_t nbytes = itemsize;
  for (int k = 0; k < rank; ++k) nbytes *= shape[k];
  if (nbytes) memset(lay.data, 0, (size_t)nbytes);
  out->held = 2;
  out->obj = a;
  return 0;
}

/* Returned arrays are numfuse arrays: the caller's NumPy array comes back as a zero-copy view. */
static PyObject *nfw_as_numfuse(PyObject *o) {
  if (PyObject_TypeCheck(o, nfw_nf_ndarray)) {
    Py_INCREF(o);
    return o;
  }
  return PyObject_CallOneArg(nfw_nf_asarray, o);
}

/* f2py's rank rules (fortranobject.c, check_and_fix_dimensions) for an explicit-shape or
 * assumed-size array given with another rank: fewer dimensions get trailing ones (the first
 * missing one free: the size left), more dimensions drop their size-1 axes and fold the rest into
 * the last one, unless it is fixed. `fixed[k]`: the declared size, -1 when not a constant. The
 * data is Fortran-contiguous here, so only the view's shape and strides change. */
static int nfw_fit_rank(nfw_array *a, int rank, const Py_ssize_t *fixed, const char *fname, const char *arg) {
  if (!a->held || a->view.ndim == rank) return 0;
  const int nd = a->view.ndim;
  const Py_ssize_t *sh = a->view.shape;
  Py_ssize_t dims[NFW_MAXDIM], size = 1, fitted = 1, d;
  for (int i = 0; i < nd; ++i) size *= sh[i];
  for (int k = 0; k < rank; ++k) dims[k] = fixed[k];
  int k = 0, j = 0;
  if (rank > nd) {
    int free_axis = -1;
    for (; k < nd; ++k) {
      d = sh[k];
      if (dims[k] >= 0 && d > 1 && d != dims[k]) goto mismatch;
      dims[k] = dims[k] >= 0 ? (dims[k] ? dims[k] : 1) : (d ? d : 1);
      fitted *= dims[k];
    }
    for (; k < rank; ++k) {
      if (dims[k] > 1) { d = 0; goto mismatch; }
      if (free_axis < 0) free_axis = k;
      else dims[k] = 1;
    }
    if (free_axis >= 0) fitted *= (dims[free_axis] = fitted ? size / fitted : 0);
  } else {
    int effrank = 0;
    for (int i = 0; i < nd; ++i) effrank += sh[i] > 1;
    if (dims[rank - 1] >= 0 && effrank > rank) {
      PyErr_Format(PyExc_ValueError, "%s(): argument '%s' has %d dimensions (%d of them longer than 1), expected %d",
                   fname, arg, nd, effrank, rank);
      return -1;
    }
    for (; k < rank; ++k) {
      while (j < nd && sh[j] < 2) ++j;
      d = j < nd ? sh[j++] : 1;
      if (dims[k] >= 0 && d > 1 && d != dims[k]) goto mismatch;
      dims[k] = dims[k] >= 0 ? (dims[k] ? dims[k] : 1) : d;
    }
    for (int i = rank; i < nd; ++i) { /* the remaining axes fold into the last one */
      while (j < nd && sh[j] < 2) ++j;
      dims[rank - 1] *= j < nd ? sh[j++] : 1;
    }
    for (k = 0; k < rank; ++k) fitted *= dims[k];
  }
  if (fitted != size) {
    PyErr_Format(PyExc_ValueError, "%s(): argument '%s' has %zd elements, which do not fit its %d dimensions",
                 fname, arg, size, rank);
    return -1;
  }
  if (a->held == 1) { /* the exporter's shape and strides, for PyBuffer_Release */
    a->orig_shape = a->view.shape;
    a->orig_strides = a->view.strides;
    a->orig_ndim = nd;
  }
  Py_ssize_t stride = a->view.itemsize;
  for (k = 0; k < rank; ++k) {
    a->shape[k] = dims[k];
    a->strides[k] = stride;
    stride *= dims[k];
  }
  a->view.shape = a->shape;
  a->view.strides = a->strides;
  a->view.ndim = rank;
  return 0;
mismatch:
  PyErr_Format(PyExc_ValueError, "%s(): argument '%s' of %d dimensions has %zd where dimension %d of its declaration "
               "needs %zd", fname, arg, nd, d, k, dims[k]);
  return -1;
}

static void nfw_release(nfw_array *a) {
  if (a->orig_shape) {
    a->view.shape = a->orig_shape;
    a->view.strides = a->orig_strides;
    a->view.ndim = a->orig_ndim;
    a->orig_shape = NULL;
  }
  if (a->held == 1) PyBuffer_Release(&a->view);
  a->held = 0;
  Py_CLEAR(a->obj);
  Py_CLEAR(a->writeback);
}

static Py_ssize_t nfw_shape(const nfw_array *a, Py_ssize_t k) {
  if (!a->held) return 0;
  if (k == -1) return a->view.ndim;
  if (k == -2) {
    Py_ssize_t n = 1;
    for (int i = 0; i < a->view.ndim; ++i) n *= a->view.shape[i];
    return n;
  }
  return (k >= 0 && k < a->view.ndim) ? a->view.shape[k] : 0;
}

static void *nfw_data(nfw_array *a) {
  static double nfw_empty_storage;
  return a->view.buf ? a->view.buf : (void *)&nfw_empty_storage;
}

/* A Fortran 2018 C descriptor over the caller's memory: any strides, no copy. */
static int nfw_cdesc(CFI_cdesc_t *d, nfw_array *a, CFI_type_t type, int rank) {
  CFI_index_t ext[NFW_MAXDIM];
  for (int k = 0; k < rank; ++k) ext[k] = a->view.shape[k];
  if (CFI_establish(d, nfw_data(a), CFI_attribute_other, type, a->view.itemsize, rank, ext) != CFI_SUCCESS) {
    PyErr_SetString(PyExc_RuntimeError, "CFI_establish failed");
    return -1;
  }
  for (int k = 0; k < rank; ++k) d->dim[k].sm = a->view.strides[k];
  return 0;
}

static PyObject *nfw_none(void) { Py_RETURN_NONE; }

/* Copies n-d strided elements into contiguous Fortran-ordered memory. */
static void nfw_gather(char *dst, const char *src, int rank, const Py_ssize_t *shape, const Py_ssize_t *strides,
                       size_t itemsize) {
  Py_ssize_t n = 1, idx[NFW_MAXDIM] = {0};
  for (int k = 0; k < rank; ++k) n *= shape[k];
  for (Py_ssize_t i = 0; i < n; ++i) {
    const char *p = src;
    for (int k = 0; k < rank; ++k) p += idx[k] * strides[k];
    memcpy(dst + i * itemsize, p, itemsize);
    for (int k = 0; k < rank && ++idx[k] == shape[k]; ++k) idx[k] = 0;
  }
}

/* ALLOCATABLE dummies cross as C descriptors of the allocatable attribute. The caller's array (if
 * given) is copied into a Fortran allocation, since Fortran may deallocate or reallocate it. */
static int nfw_alloc_cdesc(CFI_cdesc_t *d, nfw_array *a, CFI_type_t type, size_t elem_len, int rank) {
  if (CFI_establish(d, NULL, CFI_attribute_allocatable, type, elem_len, rank, NULL) != CFI_SUCCESS) {
    PyErr_SetString(PyExc_RuntimeError, "CFI_establish failed for an allocatable argument");
    return -1;
  }
  if (!a->held) return 0;
  CFI_index_t lower[NFW_MAXDIM], upper[NFW_MAXDIM];
  for (int k = 0; k < rank; ++k) {
    lower[k] = 1;
    upper[k] = a->view.shape[k];
  }
  if (CFI_allocate(d, lower, upper, elem_len) != CFI_SUCCESS) {
    PyErr_NoMemory();
    return -1;
  }
  nfw_gather(d->base_addr, a->view.buf, rank, a->view.shape, a->view.strides, elem_len);
  return 0;
}

/* What Fortran left in an allocatable: a new numfuse array with its values, or None. */
static PyObject *nfw_from_alloc(CFI_cdesc_t *d, const char *fname, const char *arg, char code, Py_ssize_t itemsize) {
  if (!d->base_addr) Py_RETURN_NONE;
  Py_ssize_t shape[NFW_MAXDIM], strides[NFW_MAXDIM];
  for (int k = 0; k < d->rank; ++k) {
    shape[k] = d->dim[k].extent;
    strides[k] = d->dim[k].sm;
  }
  nfw_array out;
  if (nfw_new_array(fname, arg, code, itemsize, d->rank, shape, &out)) return NULL;
  nfw_gather(out.view.buf, d->base_addr, d->rank, shape, strides, (size_t)itemsize);
  return out.obj;
}

/* POINTER dummies: a C descriptor of the pointer attribute over the caller's memory (any strides, no
 * copy; lower bounds 1 as Fortran's), or disassociated for None. */
static int nfw_pointer_cdesc(CFI_cdesc_t *d, nfw_array *a, CFI_type_t type, size_t elem_len, int rank) {
  CFI_index_t ext[NFW_MAXDIM];
  for (int k = 0; k < rank; ++k) ext[k] = a->held ? a->view.shape[k] : 0;
  if (CFI_establish(d, a->held ? nfw_data(a) : NULL, CFI_attribute_pointer, type, elem_len, rank,
                    a->held ? ext : NULL) != CFI_SUCCESS) {
    PyErr_SetString(PyExc_RuntimeError, "CFI_establish failed for a pointer argument");
    return -1;
  }
  for (int k = 0; a->held && k < rank; ++k) {
    d->dim[k].sm = a->view.strides[k];
    d->dim[k].lower_bound = 1;
  }
  return 0;
}

/* What a POINTER dummy points to after the call: None (disassociated), the caller's own array (still
 * the same memory and layout), or a numfuse view of the memory Fortran pointed it at (Fortran owns
 * it: a module array's, or an allocation the routine made, which stays allocated). */
static PyObject *nfw_from_pointer(CFI_cdesc_t *d, nfw_array *a, int typenum) {
  if (!d->base_addr) Py_RETURN_NONE;
  int same = a->held && a->obj && d->base_addr == a->view.buf;
  npy_intp dims[NFW_MAXDIM], strides[NFW_MAXDIM];
  for (int k = 0; k < d->rank; ++k) {
    dims[k] = d->dim[k].extent;
    strides[k] = d->dim[k].sm;
    same = same && dims[k] == a->view.shape[k] && strides[k] == a->view.strides[k];
  }
  if (same) return nfw_as_numfuse(a->obj);
  PyObject *view = PyArray_New(&PyArray_Type, d->rank, dims, typenum, strides, d->base_addr, 0, NPY_ARRAY_WRITEABLE,
                               NULL);
  if (!view) return NULL;
  if (a->held && a->obj) { /* pointing into the caller's array (e.g. p => p(1::2)): the view keeps it alive */
    char *lo = a->view.buf, *hi = a->view.buf;
    for (int k = 0; k < a->view.ndim; ++k) {
      Py_ssize_t span = (a->view.shape[k] - 1) * a->view.strides[k];
      if (span < 0) lo += span; else hi += span;
    }
    char *p = d->base_addr;
    if (p >= lo && p <= hi) {
      Py_INCREF(a->obj);
      if (PyArray_SetBaseObject((PyArrayObject *)view, a->obj) < 0) { Py_DECREF(view); return NULL; }
    }
  }
  PyObject *r = nfw_as_numfuse(view);
  Py_DECREF(view);
  return r;
}

static void nfw_free_alloc(CFI_cdesc_t *d) {
  if (d->base_addr) CFI_deallocate(d);
}

static PyObject *nfw_shape_tuple(const nfw_array *a) {
  if (!a->held) Py_RETURN_NONE;
  PyObject *t = PyTuple_New(a->view.ndim);
  for (int k = 0; t && k < a->view.ndim; ++k) PyTuple_SET_ITEM(t, k, PyLong_FromSsize_t(a->view.shape[k]));
  return t;
}

/* The extension module's `error` exception, f2py's <module>.error (here a ValueError subclass, so
 * `except ValueError` code keeps working); made by the module's init. */
static PyObject *nfw_error;

/* A failed check(): raises the module's error with f2py's text, "(lo>=1) failed for 2nd argument
 * lo: window:lo=0" (`own`: the scalar's own value part, NULL for others), then the values of the
 * other variables the check reads, "(n=5, shape(x)=(5,))" (steals the references in values). */
static void nfw_check_failed(const char *check, const char *what, const char *own, int n, const char *const *labels,
                             PyObject **values) {
  PyObject *parts = PyList_New(0);
  for (int i = 0; i < n; ++i) {
    PyObject *s = (parts && values[i]) ? PyUnicode_FromFormat("%s=%R", labels[i], values[i]) : NULL;
    if (s) PyList_Append(parts, s);
    Py_XDECREF(s);
    Py_XDECREF(values[i]);
  }
  PyObject *sep = PyUnicode_FromString(", "), *joined = (parts && sep) ? PyUnicode_Join(sep, parts) : NULL;
  PyErr_Clear(); /* a failed repr above must not replace the check's error */
  PyObject *type = nfw_error ? nfw_error : PyExc_ValueError;
  if (joined && PyUnicode_GetLength(joined))
    PyErr_Format(type, "(%s) failed for %s%s%s (%U)", check, what, own ? ": " : "", own ? own : "", joined);
  else
    PyErr_Format(type, "(%s) failed for %s%s%s", check, what, own ? ": " : "", own ? own : "");
  Py_XDECREF(joined);
  Py_XDECREF(sep);
  Py_XDECREF(parts);
}

/* A constant declared dimension: exactly that size, as in f2py. */
static int nfw_check_dim(const char *fname, const char *arg, nfw_array *a, int k, Py_ssize_t need, const char *expr) {
  Py_ssize_t have = nfw_shape(a, k);
  if (have != need) {
    PyErr_Format(PyExc_ValueError, "%s(): argument '%s' has shape[%d] = %zd, but its declaration (%s) needs %zd",
                 fname, arg, k, have, expr, need);
    return -1;
  }
  return 0;
}

/* A numfuse array viewing Fortran memory (module variables, components, callback arguments). */
static PyObject *nfw_view(void *ptr, const char *np_name, Py_ssize_t itemsize, int rank, const int64_t *shape) {
  Py_ssize_t n = itemsize;
  PyObject *tup = PyTuple_New(rank);
  if (!tup) return NULL;
  for (int k = 0; k < rank; ++k) {
    n *= shape[k];
    PyTuple_SET_ITEM(tup, k, PyLong_FromLongLong(shape[k]));
  }
  static char empty;
  PyObject *mem = PyMemoryView_FromMemory(ptr ? (char *)ptr : &empty, ptr ? n : 0, PyBUF_WRITE);
  if (!mem) { Py_DECREF(tup); return NULL; }
  PyObject *r = PyObject_CallMethod(nfw_helpers, "view", "OsO", mem, np_name, tup);
  Py_DECREF(mem);
  Py_DECREF(tup);
  return r;
}

/* ---- wrapped routines: f2py's `fortran` objects ------------------------------------------------
 * A callable with the routine's docstring and f2py's `_cpointer`: a PyCapsule (without a name, as
 * f2py's) of the Fortran procedure's address. Such a capsule, or the object itself, given as a
 * callback is called by the trampoline directly, with no Python in between. */
typedef struct {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyMethodDef *def;
  void (*address)(void **); /* the shim's nfw_p_<routine>: the Fortran procedure's address */
} nfw_function;

typedef PyObject *(*nfw_fastcall)(PyObject *, PyObject *const *, Py_ssize_t, PyObject *); /* METH_FASTCALL | METH_KEYWORDS */

static PyObject *nfw_function_call(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
  PyMethodDef *def = ((nfw_function *)self)->def;
  return ((nfw_fastcall)(void (*)(void))def->ml_meth)(self, args, PyVectorcall_NARGS(nargsf), kwnames);
}

static PyObject *nfw_function_doc(PyObject *self, void *closure) {
  (void)closure;
  return PyUnicode_FromString(((nfw_function *)self)->def->ml_doc);
}

static PyObject *nfw_function_name(PyObject *self, void *closure) {
  (void)closure;
  return PyUnicode_FromString(((nfw_function *)self)->def->ml_name);
}

static PyObject *nfw_function_cpointer(PyObject *self, void *closure) {
  (void)closure;
  void *p = NULL;
  ((nfw_function *)self)->address(&p);
  if (!p) {
    PyErr_Format(PyExc_AttributeError, "%s is ELEMENTAL: Fortran gives no procedure pointer to it",
                 ((nfw_function *)self)->def->ml_name);
    return NULL;
  }
  return PyCapsule_New(p, NULL, NULL);
}

static PyObject *nfw_function_repr(PyObject *self) {
  return PyUnicode_FromFormat("<fortran function %s>", ((nfw_function *)self)->def->ml_name);
}

static PyGetSetDef nfw_function_getset[] = {
  {"__doc__", nfw_function_doc, NULL, NULL, NULL},
  {"__name__", nfw_function_name, NULL, NULL, NULL},
  {"__qualname__", nfw_function_name, NULL, NULL, NULL},
  {"_cpointer", nfw_function_cpointer, NULL, "PyCapsule of the Fortran procedure's address", NULL},
  {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject nfw_function_type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "fortran",
  .tp_basicsize = sizeof(nfw_function),
  .tp_dealloc = (destructor)PyObject_Free,
  .tp_vectorcall_offset = offsetof(nfw_function, vectorcall),
  .tp_call = PyVectorcall_Call,
  .tp_repr = nfw_function_repr,
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
  .tp_getset = nfw_function_getset,
};

/* Adds a table's routines to a namespace dict as nfw_function objects. */
static int nfw_add_functions(PyObject *dict, PyMethodDef *defs, void (*const *addresses)(void **)) {
  if (PyType_Ready(&nfw_function_type) < 0) return -1;
  for (int i = 0; defs[i].ml_name; ++i) {
    nfw_function *f = PyObject_New(nfw_function, &nfw_function_type);
    if (!f) return -1;
    f->vectorcall = nfw_function_call;
    f->def = &defs[i];
    f->address = addresses[i];
    int r = PyDict_SetItemString(dict, defs[i].ml_name, (PyObject *)f);
    Py_DECREF(f);
    if (r < 0) return -1;
  }
  return 0;
}

/* The procedure a callback argument names directly: a PyCapsule (f2py's _cpointer, any name) or a
 * routine of this module; NULL for anything else (called through Python). */
static void *nfw_direct_address(PyObject *fn) {
  void *p = NULL;
  if (PyCapsule_CheckExact(fn)) {
    p = PyCapsule_GetPointer(fn, PyCapsule_GetName(fn));
    if (!p) PyErr_Clear();
  } else if (Py_TYPE(fn) == &nfw_function_type) {
    ((nfw_function *)fn)->address(&p);
  }
  return p;
}

/* ---- callbacks: a per-thread stack of active calls, never global state --------------------- */
#define NFW_MAX_CB 8
typedef struct {
  PyObject *fn;    /* the Python callable (borrowed from the call's arguments) */
  PyObject *extra; /* f2py's <name>_extra_args tuple, appended to every call; NULL: none */
  int npass;       /* how many of the Fortran-side arguments the callable accepts (f2py's rule) */
  void *direct;    /* a procedure called directly, not through Python (nfw_direct_address) */
} nfw_cb;

typedef struct nfw_frame {
  int routine;
  nfw_cb cb[NFW_MAX_CB];
  int failed;
  PyObject *et, *ev, *etb;
  struct nfw_frame *prev;
} nfw_frame;

static _Thread_local nfw_frame *nfw_top;

/* f->cb is filled by nfw_cb_prepare before the push. */
static void nfw_push(nfw_frame *f, int routine) {
  f->routine = routine;
  f->failed = 0;
  f->et = f->ev = f->etb = NULL;
  f->prev = nfw_top;
  nfw_top = f;
}

static void nfw_pop(nfw_frame *f) { nfw_top = f->prev; }

/* How many positional parameters `fn` takes (*total) and how many have defaults (*nopt); 0 when
 * unknown (a builtin: it gets every argument, as in f2py). Methods and callable instances do not
 * count `self`, partials not their bound arguments; a ufunc takes `nin`; `def f(*args)` takes all. */
static int nfw_cb_arity(PyObject *fn, Py_ssize_t max, Py_ssize_t *total, Py_ssize_t *nopt) {
  PyObject *target = fn, *call = NULL;
  Py_ssize_t self = 0;
  *total = max;
  *nopt = 0;
  if (strcmp(Py_TYPE(fn)->tp_name, "functools.partial") == 0) { /* what the wrapped function takes, less the bound */
    PyObject *inner = PyObject_GetAttrString(fn, "func"), *bound = PyObject_GetAttrString(fn, "args");
    int r = (inner && bound && PyTuple_Check(bound)) ? nfw_cb_arity(inner, max + PyTuple_GET_SIZE(bound), total, nopt) : -1;
    if (r == 0) {
      Py_ssize_t n = PyTuple_GET_SIZE(bound);
      *total = NFW_MAX(0, *total - n);
      *nopt = NFW_MIN(*nopt, *total);
    }
    Py_XDECREF(inner);
    Py_XDECREF(bound);
    return r;
  }
  if (PyMethod_Check(fn)) {
    target = PyMethod_GET_FUNCTION(fn);
    self = 1;
  } else if (!PyFunction_Check(fn)) {
    if (strcmp(Py_TYPE(fn)->tp_name, "numpy.ufunc") == 0) {
      PyObject *nin = PyObject_GetAttrString(fn, "nin");
      if (!nin) return -1;
      *total = PyLong_AsSsize_t(nin);
      Py_DECREF(nin);
      return *total < 0 ? -1 : 0;
    }
    call = PyType_Check(fn) ? NULL : PyObject_GetAttrString(fn, "__call__");
    if (!call) { PyErr_Clear(); return 0; }
    if (!PyMethod_Check(call) || !PyFunction_Check(PyMethod_GET_FUNCTION(call))) { Py_DECREF(call); return 0; }
    target = PyMethod_GET_FUNCTION(call);
    self = 1;
  }
  if (!PyFunction_Check(target)) { Py_XDECREF(call); return 0; }
  PyCodeObject *code = (PyCodeObject *)PyFunction_GET_CODE(target);
  PyObject *defaults = PyFunction_GET_DEFAULTS(target);
  Py_ssize_t argcount = code->co_argcount - self;
  if (!(code->co_flags & CO_VARARGS) || argcount > 0) { /* f2py: *args only collects the extras */
    *total = argcount < 0 ? 0 : argcount;
    *nopt = defaults ? PyTuple_GET_SIZE(defaults) : 0;
  }
  Py_XDECREF(call);
  return 0;
}

/* Per call of a wrapped routine: checks the callable and its extra arguments and decides how many
 * Fortran-side arguments it receives: min(what it takes minus the extras, max), as f2py does.
 * `max`: the callback's required plus optional (dimension) arguments. */
static int nfw_cb_prepare(nfw_cb *c, PyObject *fn, PyObject *extra, int max, int required, const char *fname,
                          const char *arg) {
  if (extra == Py_None) extra = NULL;
  if ((c->direct = nfw_direct_address(fn))) {
    if (extra && (!PyTuple_Check(extra) || PyTuple_GET_SIZE(extra))) {
      PyErr_Format(PyExc_TypeError, "%s(): callback '%s' is a Fortran procedure (or its _cpointer), which takes no "
                   "'%s_extra_args'", fname, arg, arg);
      return -1;
    }
    c->fn = fn;
    c->extra = NULL;
    c->npass = 0;
    return 0;
  }
  if (!PyCallable_Check(fn)) {
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be callable, not %.100s", fname, arg, Py_TYPE(fn)->tp_name);
    return -1;
  }
  if (extra && !PyTuple_Check(extra)) {
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s_extra_args' must be a tuple, not %.100s", fname, arg,
                 Py_TYPE(extra)->tp_name);
    return -1;
  }
  Py_ssize_t next = extra ? PyTuple_GET_SIZE(extra) : 0, total, nopt;
  if (nfw_cb_arity(fn, max + next, &total, &nopt)) return -1;
  Py_ssize_t given = NFW_MIN(max + next, total);
  if (given < total - nopt || given - next < required) {
    PyErr_Format(PyExc_TypeError,
                 "%s(): callback '%s' takes %zd positional arguments, but it is called with at most %d "
                 "(needs at least %d) plus %zd extra arguments",
                 fname, arg, total, max, required, next);
    return -1;
  }
  c->fn = fn;
  c->extra = next ? extra : NULL;
  c->npass = (int)NFW_MAX(0, given - next);
  return 0;
}

/* Called by a trampoline: the innermost active call of that routine on this thread; NULL when the
 * callback must not run (an earlier one raised: Fortran finishes, then the exception is raised to
 * the caller). A routine with callbacks keeps the GIL during its Fortran call, as f2py's do: a
 * callback then costs no GIL hand-over (two of them were ~0.1 µs of a 0.4 µs array callback), and
 * other threads still run while the callback's Python code does (the interpreter's switch
 * interval); they wait while the Fortran code between callbacks runs. */
static nfw_frame *nfw_cb_enter(int routine) {
  nfw_frame *f = nfw_top;
  while (f && f->routine != routine) f = f->prev;
  if (!f || f->failed) return NULL;
  return f;
}

static void nfw_cb_leave(nfw_frame *f, int failed) {
  if (failed) {
    f->failed = 1;
    PyErr_Fetch(&f->et, &f->ev, &f->etb);
  }
}

/* A callback's array argument: a writable Fortran-ordered NumPy array over Fortran's memory (no
 * copy), exactly what f2py hands its callbacks. */
static PyObject *nfw_cb_array(void *ptr, int typenum, int rank, const int64_t *shape) {
  npy_intp dims[NFW_MAXDIM];
  for (int k = 0; k < rank; ++k) dims[k] = (npy_intp)(shape[k] < 0 ? 0 : shape[k]);
  static double empty;
  return PyArray_New(&PyArray_Type, rank, dims, typenum, NULL, ptr ? ptr : (void *)&empty, 0, NPY_ARRAY_FARRAY, NULL);
}

/* The values a callback returned, f2py's way: None is none, a tuple is its items, anything else
 * one value. Outputs it does not return keep what the callback wrote into them. */
static Py_ssize_t nfw_cb_results(PyObject *res, PyObject **single, PyObject *const **items) {
  if (res == Py_None) return 0;
  if (PyTuple_Check(res)) {
    *items = &PyTuple_GET_ITEM(res, 0);
    return PyTuple_GET_SIZE(res);
  }
  *single = res;
  *items = single;
  return 1;
}

/* Copies a returned value into an output array of the callback (NumPy's assignment rules:
 * conversion, broadcasting, a shape mismatch is a ValueError); nothing when it is that memory. */
static int nfw_cb_store(PyObject *value, void *ptr, int typenum, int rank, const int64_t *shape) {
  if (PyArray_Check(value) && PyArray_DATA((PyArrayObject *)value) == ptr && PyArray_TYPE((PyArrayObject *)value) == typenum &&
      PyArray_IS_F_CONTIGUOUS((PyArrayObject *)value) && PyArray_NDIM((PyArrayObject *)value) == rank)
    return 0;
  PyObject *view = nfw_cb_array(ptr, typenum, rank, shape);
  if (!view) return -1;
  int r = PyArray_CopyObject((PyArrayObject *)view, value);
  Py_DECREF(view);
  return r;
}

/* ---- Fortran runtime errors become Python exceptions ------------------------------------------
 * STOP, ERROR STOP, runtime errors (bounds checks of -fcheck=..., integer overflow in sizes), failed
 * ALLOCATE without stat= and CALL ABORT end the process in libgfortran. This extension defines the
 * libgfortran entry points the compiled Fortran calls for them with hidden visibility, so every
 * object linked into it binds to these instead: each records the message and longjmps back to
 * the wrapped call it happened in (a per-thread stack of guards), which raises it as an exception
 * once Fortran is left. What the interrupted Fortran had allocated locally stays allocated (a
 * leak, not a crash). Outside a wrapped call (a Fortran thread of its own) they end the process
 * as libgfortran does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>

enum { NFW_F_STOP = 1, NFW_F_ERROR_STOP, NFW_F_RUNTIME, NFW_F_MEMORY, NFW_F_ABORT };

typedef struct nfw_guard {
  jmp_buf env;
  struct nfw_guard *prev;
  nfw_frame *frames; /* the callback frame stack to return to */
  int kind;
  int code;
  char msg[400];
  PyObject *et, *ev, *etb; /* the first exception of a callback called by name (nfw_named_leave) */
} nfw_guard;

static _Thread_local nfw_guard *nfw_guard_top;

static void nfw_guard_push(nfw_guard *g) {
  g->prev = nfw_guard_top;
  g->frames = nfw_top;
  g->kind = 0;
  g->code = 0;
  g->msg[0] = 0;
  g->et = g->ev = g->etb = NULL;
  nfw_guard_top = g;
}

static void nfw_guard_pop(nfw_guard *g) {
  nfw_guard_top = g->prev;
  nfw_top = g->frames; /* a longjmp skips the nfw_pop of frames pushed inside */
}

/* ---- callbacks Fortran calls by name: f2py's intent(callback) on a non-argument ---------------
 * The extension defines the EXTERNAL procedure's linker name (a named trampoline, gen_c.py). A
 * routine that takes the callable as an argument makes it this thread's active one for its call
 * (a thread-local pointer per name, saved and restored around the call, so nested and concurrent
 * calls each see their own); Fortran code calling the name otherwise gets the module attribute of
 * that name (and <name>_extra_args), looked up at each call, as in f2py. The trampoline takes the
 * GIL (the calling routine may have released it); an exception is kept in the innermost wrapped
 * call's guard, later callbacks of that call return 0, and the call raises it. */
typedef struct nfw_named {
  nfw_cb cb;
  PyObject *fn, *extra;  /* owned */
  struct nfw_named *prev; /* the thread's active one before this call's */
} nfw_named;

static PyObject *nfw_module; /* the extension module (borrowed): where named callbacks are looked up */

static int nfw_named_prepare(nfw_named *n, PyObject *fn, PyObject *extra, const char *name, int max, int required,
                             const char *fname) {
  n->fn = n->extra = NULL;
  if (fn && fn != Py_None) {
    Py_INCREF(fn);
  } else if (!(fn = PyObject_GetAttrString(nfw_module, name))) {
    PyErr_Format(nfw_error, "%s(): callback '%s' is not defined (as an argument or as module attribute %s.%s)", fname,
                 name, PyModule_GetName(nfw_module), name);
    return -1;
  }
  n->fn = fn;
  if (extra && extra != Py_None) {
    Py_INCREF(extra);
  } else {
    char attr[200];
    snprintf(attr, sizeof attr, "%s_extra_args", name);
    PyObject *given = PyObject_GetAttrString(nfw_module, attr);
    if (!given) PyErr_Clear();
    extra = given ? PySequence_Tuple(given) : NULL;
    Py_XDECREF(given);
    if (given && !extra) return -1;
  }
  n->extra = extra;
  return nfw_cb_prepare(&n->cb, n->fn, n->extra, max, required, fname, name);
}

static void nfw_named_free(nfw_named *n) {
  Py_CLEAR(n->fn);
  Py_CLEAR(n->extra);
}

/* The callable a named trampoline calls (GIL held): the routine's, else the module attribute
 * prepared into `local`; NULL when it must not run (an earlier callback of this call raised). */
static nfw_cb *nfw_named_enter(nfw_named *active, nfw_named *local, const char *name, int max, int required) {
  nfw_guard *g = nfw_guard_top;
  if (g && g->et) return NULL;
  if (active) return &active->cb;
  if (nfw_named_prepare(local, NULL, NULL, name, max, required, name) == 0) return &local->cb;
  return NULL;
}

/* After a named callback: the exception (if any) goes to the innermost wrapped call; outside any
 * (a Fortran thread of its own) it is reported as unraisable. */
static void nfw_named_leave(nfw_named *local) {
  nfw_named_free(local);
  if (!PyErr_Occurred()) return;
  nfw_guard *g = nfw_guard_top;
  if (!g) {
    PyErr_WriteUnraisable(NULL);
  } else if (!g->et) {
    PyErr_Fetch(&g->et, &g->ev, &g->etb);
  } else {
    PyErr_Clear();
  }
}

__attribute__((noreturn)) static void nfw_fortran_failed(int kind, int code, const char *where, const char *fmt,
                                                          va_list ap) {
  nfw_guard *g = nfw_guard_top;
  char text[400];
  int n = where ? snprintf(text, sizeof text, "%s: ", where) : 0;
  if (fmt && n >= 0 && (size_t)n < sizeof text) vsnprintf(text + n, sizeof text - (size_t)n, fmt, ap);
  if (!g) { /* not inside a wrapped call: what libgfortran would do */
    fprintf(stderr, "%s\n", text);
    if (kind == NFW_F_ABORT) abort();
    exit(kind == NFW_F_STOP ? code : kind == NFW_F_ERROR_STOP ? (code ? code : 1) : 2);
  }
  g->kind = kind;
  g->code = code;
  memcpy(g->msg, text, sizeof text);
  longjmp(g->env, 1);
}

__attribute__((noreturn)) static void nfw_fortran_fail(int kind, int code, const char *where, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nfw_fortran_failed(kind, code, where, fmt, ap);
}

__attribute__((noreturn)) static void nfw_stop(int kind, int code, const char *s, size_t len) {
  const char *word = kind == NFW_F_STOP ? "STOP" : "ERROR STOP";
  if (!s) nfw_fortran_fail(kind, code, NULL, "Fortran %s %d", word, code);
  nfw_fortran_fail(kind, code, NULL, "Fortran %s%s%.*s", word, len ? " " : "", (int)len, s);
}

#define NFW_LIBGFORTRAN __attribute__((visibility("hidden"), noreturn)) void
NFW_LIBGFORTRAN _gfortran_stop_numeric(int code, bool quiet) { (void)quiet; nfw_stop(NFW_F_STOP, code, NULL, 0); }
NFW_LIBGFORTRAN _gfortran_stop_string(const char *s, size_t len, bool quiet) { (void)quiet; nfw_stop(NFW_F_STOP, 0, s ? s : "", s ? len : 0); }
NFW_LIBGFORTRAN _gfortran_error_stop_numeric(int code, bool quiet) { (void)quiet; nfw_stop(NFW_F_ERROR_STOP, code, NULL, 0); }
NFW_LIBGFORTRAN _gfortran_error_stop_string(const char *s, size_t len, bool quiet) {
  (void)quiet;
  nfw_stop(NFW_F_ERROR_STOP, 1, s ? s : "", s ? len : 0);
}
NFW_LIBGFORTRAN _gfortran_runtime_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nfw_fortran_failed(NFW_F_RUNTIME, 2, "Fortran runtime error", fmt, ap);
}
NFW_LIBGFORTRAN _gfortran_runtime_error_at(const char *where, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nfw_fortran_failed(NFW_F_RUNTIME, 2, where, fmt, ap);
}
NFW_LIBGFORTRAN _gfortran_os_error(const char *msg) { nfw_fortran_fail(NFW_F_MEMORY, 2, NULL, "%s", msg); }
NFW_LIBGFORTRAN _gfortran_os_error_at(const char *where, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nfw_fortran_failed(NFW_F_MEMORY, 2, where, fmt, ap);
}
NFW_LIBGFORTRAN _gfortran_abort(void) { nfw_fortran_fail(NFW_F_ABORT, 0, NULL, "Fortran ABORT"); }

/* After the guarded call returned through a longjmp: the exception (GIL held). */
static void nfw_raise_fortran_error(const nfw_guard *g, const char *fname) {
  PyObject *type = g->kind == NFW_F_MEMORY ? PyExc_MemoryError : PyExc_RuntimeError;
  PyErr_Format(type, "%s(): %s", fname, g->msg);
}

/* ---- Fortran modules and COMMON blocks as objects with attributes ------------------------- */
typedef struct {
  const char *name;
  PyObject *(*get)(void);
  int (*set)(PyObject *);
  const char *doc;
} nfw_var;

typedef struct {
  PyObject_HEAD PyObject *dict;
  const nfw_var *vars;
  const char *name;
} nfw_modobj;

static const nfw_var *nfw_find_var(nfw_modobj *m, PyObject *name) {
  for (const nfw_var *v = m->vars; v && v->name; ++v)
    if (PyUnicode_CompareWithASCIIString(name, v->name) == 0) return v;
  return NULL;
}

static PyObject *nfw_mod_getattro(PyObject *self, PyObject *name) {
  const nfw_var *v = nfw_find_var((nfw_modobj *)self, name);
  return v ? v->get() : PyObject_GenericGetAttr(self, name);
}

static int nfw_mod_setattro(PyObject *self, PyObject *name, PyObject *value) {
  const nfw_var *v = nfw_find_var((nfw_modobj *)self, name);
  if (!v) {
    PyErr_Format(PyExc_AttributeError, "Fortran module '%s' has no variable '%U'", ((nfw_modobj *)self)->name, name);
    return -1;
  }
  if (!v->set || !value) {
    PyErr_Format(PyExc_AttributeError, "'%U' is a Fortran parameter (read-only)", name);
    return -1;
  }
  return v->set(value);
}

static PyObject *nfw_mod_dir(PyObject *self, PyObject *unused) {
  (void)unused;
  nfw_modobj *m = (nfw_modobj *)self;
  PyObject *list = PyDict_Keys(m->dict);
  for (const nfw_var *v = m->vars; list && v && v->name; ++v) {
    PyObject *s = PyUnicode_FromString(v->name);
    PyList_Append(list, s);
    Py_DECREF(s);
  }
  return list;
}

static PyObject *nfw_mod_repr(PyObject *self) {
  return PyUnicode_FromFormat("<Fortran object '%s'>", ((nfw_modobj *)self)->name);
}

static void nfw_mod_dealloc(PyObject *self) {
  Py_XDECREF(((nfw_modobj *)self)->dict);
  Py_TYPE(self)->tp_free(self);
}

static PyMethodDef nfw_mod_methods[] = {{"__dir__", nfw_mod_dir, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};

static PyTypeObject nfw_mod_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "fortran_wrap.FortranObject",
    .tp_basicsize = sizeof(nfw_modobj),
    .tp_dealloc = nfw_mod_dealloc,
    .tp_repr = nfw_mod_repr,
    .tp_getattro = nfw_mod_getattro,
    .tp_setattro = nfw_mod_setattro,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dictoffset = offsetof(nfw_modobj, dict),
    .tp_methods = nfw_mod_methods,
    .tp_doc = "A Fortran module or COMMON block: routines, variables (read and write) and types.",
};

static PyObject *nfw_new_modobj(const char *name, const nfw_var *vars, const char *doc) {
  nfw_modobj *m = PyObject_New(nfw_modobj, &nfw_mod_type);
  if (!m) return NULL;
  m->dict = PyDict_New();
  m->vars = vars;
  m->name = name;
  PyObject *d = PyUnicode_FromString(doc);
  PyDict_SetItemString(m->dict, "__doc__", d);
  Py_DECREF(d);
  return (PyObject *)m;
}

/* ---- derived types -------------------------------------------------------------------------- */
typedef struct {
  PyObject_HEAD void *ptr;
  PyObject *owner; /* NULL: this object owns the Fortran allocation */
} nfw_dobj;

typedef struct {
  const char *name;
  PyObject *(*get)(void *ptr);
  int (*set)(void *ptr, PyObject *value);
} nfw_field;

typedef struct {
  const char *name;
  void (*newf)(void **);
  void (*freef)(void *);
  const nfw_field *fields;
  PyTypeObject *type;
} nfw_dtype;

static PyObject *nfw_field_get(PyObject *self, void *closure) {
  return ((const nfw_field *)closure)->get(((nfw_dobj *)self)->ptr);
}

static int nfw_field_set(PyObject *self, PyObject *value, void *closure) {
  if (!value) {
    PyErr_SetString(PyExc_AttributeError, "cannot delete a component of a Fortran derived type");
    return -1;
  }
  return ((const nfw_field *)closure)->set(((nfw_dobj *)self)->ptr, value);
}

static nfw_dtype *nfw_dtypes_of(PyTypeObject *t);

static PyObject *nfw_dobj_wrap(nfw_dtype *dt, void *ptr) {
  nfw_dobj *o = (nfw_dobj *)dt->type->tp_alloc(dt->type, 0);
  if (!o) { dt->freef(ptr); return NULL; }
  o->ptr = ptr;
  o->owner = NULL;
  return (PyObject *)o;
}

static PyObject *nfw_dobj_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
  (void)args; (void)kw;
  nfw_dtype *dt = nfw_dtypes_of(type);
  void *p = NULL;
  dt->newf(&p);
  nfw_dobj *o = (nfw_dobj *)type->tp_alloc(type, 0);
  if (!o) { dt->freef(p); return NULL; }
  o->ptr = p;
  return (PyObject *)o;
}

static int nfw_dobj_init(PyObject *self, PyObject *args, PyObject *kw) {
  if (args && PyTuple_GET_SIZE(args)) {
    PyErr_SetString(PyExc_TypeError, "derived-type objects take keyword arguments only (component=value)");
    return -1;
  }
  Py_ssize_t pos = 0;
  PyObject *k, *v;
  while (kw && PyDict_Next(kw, &pos, &k, &v))
    if (PyObject_SetAttr(self, k, v) < 0) return -1;
  return 0;
}

static void nfw_dobj_dealloc(PyObject *self) {
  nfw_dobj *o = (nfw_dobj *)self;
  PyTypeObject *tp = Py_TYPE(self);
  if (o->ptr && !o->owner) nfw_dtypes_of(tp)->freef(o->ptr);
  Py_XDECREF(o->owner);
  tp->tp_free(self);
  Py_DECREF(tp);
}

static PyObject *nfw_dobj_repr(PyObject *self) {
  nfw_dtype *dt = nfw_dtypes_of(Py_TYPE(self));
  PyObject *parts = PyList_New(0);
  for (const nfw_field *f = dt->fields; parts && f->name; ++f) {
    PyObject *v = f->get(((nfw_dobj *)self)->ptr);
    if (!v) { Py_DECREF(parts); return NULL; }
    PyObject *s = PyUnicode_FromFormat("%s=%R", f->name, v);
    Py_DECREF(v);
    PyList_Append(parts, s);
    Py_XDECREF(s);
  }
  PyObject *sep = PyUnicode_FromString(", ");
  PyObject *joined = PyUnicode_Join(sep, parts);
  Py_DECREF(sep);
  Py_DECREF(parts);
  PyObject *r = PyUnicode_FromFormat("%s(%U)", dt->name, joined);
  Py_DECREF(joined);
  return r;
}

static PyTypeObject *nfw_make_dtype(nfw_dtype *dt, const char *qualname, PyGetSetDef *getset) {
  PyType_Slot slots[] = {{Py_tp_new, nfw_dobj_new},   {Py_tp_init, nfw_dobj_init},
                         {Py_tp_dealloc, nfw_dobj_dealloc}, {Py_tp_repr, nfw_dobj_repr},
                         {Py_tp_getset, getset},          {Py_tp_doc, "A Fortran derived type held by Fortran."},
                         {0, NULL}};
  PyType_Spec spec = {qualname, sizeof(nfw_dobj), 0, Py_TPFLAGS_DEFAULT, slots};
  dt->type = (PyTypeObject *)PyType_FromSpec(&spec);
  return dt->type;
}
