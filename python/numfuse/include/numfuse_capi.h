/* numfuse's C API for foreign code: C extensions (such as the bindings numfuse.fortran_wrap
 * generates) read a numfuse.ndarray's memory and create arrays without going through Python
 * calls or the buffer protocol.
 *
 *   static const numfuse_capi *nf_api;
 *   nf_api = numfuse_capi_import();            // once, at module init; NULL + exception on failure
 *   if (Py_TYPE(o) == nf_api->ndarray_type) {  // or PyObject_TypeCheck(o, nf_api->ndarray_type)
 *     numfuse_layout lay;
 *     if (nf_api->layout(o, NUMFUSE_FOR_WRITE, &lay) < 0) return NULL;
 *     ... lay.data, lay.shape[k], lay.strides[k] (bytes) ...
 *   }
 *
 * Lazy arrays: layout() runs the array's pending work first (its values are computed), and with
 * NUMFUSE_FOR_WRITE also every pending expression that reads the same memory, so those
 * expressions see the values as of the line that wrote them and foreign writes cannot change
 * them. The pointers in numfuse_layout stay valid while the caller holds a reference to the
 * array; a caller that writes must not let Python code run in between (it could record new
 * readers): take the layout right before the foreign call.
 *
 * The ABI is versioned: numfuse_capi_import() refuses a table older than this header. */
#ifndef NUMFUSE_CAPI_H
#define NUMFUSE_CAPI_H

#include <Python.h>
#include <stdint.h>

#define NUMFUSE_CAPI_VERSION 1
#define NUMFUSE_CAPI_CAPSULE "numfuse._core._C_API"

enum { NUMFUSE_FOR_READ = 0, NUMFUSE_FOR_WRITE = 1 };

typedef struct {
  void *data;             /* first element (after the view's offset) */
  const int64_t *shape;   /* ndim extents */
  const int64_t *strides; /* ndim strides in bytes */
  int ndim;
  int itemsize;
  char kind;              /* NumPy's dtype.kind: 'b', 'i', 'u', 'f', 'c' */
  char writeable;         /* 0 for read-only views */
  char f_contiguous;
  char c_contiguous;
} numfuse_layout;

typedef struct {
  unsigned version;     /* NUMFUSE_CAPI_VERSION of the numfuse that filled the table */
  unsigned struct_size; /* sizeof(numfuse_capi) there: newer versions only append members */
  PyTypeObject *ndarray_type;
  /* Fills *out for a numfuse.ndarray (NUMFUSE_FOR_READ or NUMFUSE_FOR_WRITE, see above).
   * Returns 0, or -1 with a Python exception set (TypeError for another object; evaluation
   * errors as numfuse raises them). */
  int (*layout)(PyObject *array, int mode, numfuse_layout *out);
  /* A new uninitialized array of NumPy dtype (kind, itemsize), C order, or Fortran order when
   * fortran_order != 0; its layout goes to *out unless out is NULL. New reference, or NULL with
   * an exception set. */
  PyObject *(*empty)(char kind, int itemsize, int ndim, const Py_ssize_t *shape, int fortran_order,
                     numfuse_layout *out);
} numfuse_capi;

static inline const numfuse_capi *numfuse_capi_import(void) {
  const numfuse_capi *api = (const numfuse_capi *)PyCapsule_Import(NUMFUSE_CAPI_CAPSULE, 0);
  if (api && (api->version < NUMFUSE_CAPI_VERSION || api->struct_size < sizeof(numfuse_capi))) {
    PyErr_Format(PyExc_ImportError, "numfuse C API version %u is older than this module needs (%d)",
                 api->version, NUMFUSE_CAPI_VERSION);
    return NULL;
  }
  return api;
}

#endif /* NUMFUSE_CAPI_H */
