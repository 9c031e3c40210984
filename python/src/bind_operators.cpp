// ndarray's arithmetic and comparison operators. They exist twice over one implementation: as
// methods (__add__, __radd__, __iadd__, ...) that Python code can call and look up, and as the
// type's number and rich-comparison slots, installed over those methods once they are set. With
// the slots, `a + b` calls the op directly instead of looking up __add__ and going through
// pybind11's dispatcher, which was a third of the cost of recording an op.
#include <pybind11/pybind11.h>

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "c_entry.hpp"
#include "convert.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/ufuncs/op_table.hpp"
#include "ufunc_call.hpp"

namespace numfuse::bind {

namespace {

using ufuncs::OpId;

// What the operators accept (ndarrays, NumPy arrays and scalars, Python numbers, sequences);
// anything else gets NotImplemented so that Python asks the other operand. Owned for the life of
// the process: it must outlive interpreter shutdown's module teardown.
PyObject* g_operand_types = nullptr;

bool is_operand(PyObject* p) {
  if (exact_array(p) || PyFloat_CheckExact(p) || PyLong_CheckExact(p)) return true;
  const int r = PyObject_IsInstance(p, g_operand_types);
  if (r < 0) throw py::error_already_set();
  return r != 0;
}

// The Array of a numfuse ndarray (its exact type read directly, subclasses through pybind11,
// copied into `held`), or nullptr for anything else.
const Array* ndarray_of(PyObject* p, Array& held) {
  if (const Array* a = exact_array(p)) return a;
  if (!py::isinstance<Array>(p)) return nullptr;
  held = py::reinterpret_borrow<py::object>(p).cast<Array>();
  return &held;
}

// `x ** k` for the Python scalars NumPy's ndarray.__pow__ special-cases (fast_scalar_power):
// 2 -> square, and for inexact arrays 0.5 -> sqrt, -1 -> reciprocal, 1 -> positive. The values
// equal power()'s (both are exactly rounded here), at a fraction of pow()'s cost.
std::optional<OpId> scalar_power_op(PyObject* base, PyObject* exponent) {
  const bool int_exponent = PyLong_CheckExact(exponent);
  if (!int_exponent && !PyFloat_CheckExact(exponent)) return std::nullopt;
  Array held;
  const Array* a = ndarray_of(base, held);
  if (!a) return std::nullopt;
  const double k = int_exponent ? PyLong_AsDouble(exponent) : PyFloat_AS_DOUBLE(exponent);
  if (k == -1.0 && PyErr_Occurred()) {  // an int too large for a double: the general path
    PyErr_Clear();
    return std::nullopt;
  }
  const bool inexact = is_floating(a->dtype()) || is_complex(a->dtype());
  // A float exponent promotes integer arrays to float64: only the general path does that.
  if (k == 2.0 && (inexact || (int_exponent && is_integer(a->dtype())))) return OpId::square;
  if (!inexact) return std::nullopt;
  if (k == 0.5) return OpId::sqrt;
  if (k == -1.0) return OpId::reciprocal;
  if (k == 1.0) return OpId::positive;
  return std::nullopt;
}

py::object binary(int op_id, PyObject* a, PyObject* b) {
  if (op_id == static_cast<int>(OpId::power)) {
    if (auto unary = scalar_power_op(a, b)) {
      const py::handle arg(a);
      return apply_ufunc(static_cast<int>(*unary), std::span(&arg, 1), py::none());
    }
  }
  const std::array<py::handle, 2> args{a, b};
  return apply_ufunc(op_id, args, py::none());
}

// a op= b: written into a (lazily when safe). Memory not from numfuse's pool may be read by
// NumPy at any moment, which cannot see pending work: such targets are written now.
py::object in_place(int op_id, PyObject* a, PyObject* b) {
  const std::array<py::handle, 2> args{a, b};
  py::object result = apply_ufunc(op_id, args, a);
  Array held;
  const Array* target = ndarray_of(a, held);  // the slot's own type: always an ndarray
  if (!target->buffer()->pooled()) jit::evaluate({*target});
  return py::reinterpret_borrow<py::object>(a);
}

// Runs `body` as a C slot must: Python exceptions stay set, C++ ones are translated by the
// module's translators, and the return is a new reference or null.
template <class Body>
PyObject* slot_call(Body&& body) noexcept {
  return guarded([&]() -> PyObject* { return body().release().ptr(); }, nullptr);
}

py::object not_implemented() { return py::reinterpret_borrow<py::object>(Py_NotImplemented); }

// ---- the slots: one op id per slot, set by _install_operator_slots ---------------------------

enum Slot : int {
  kAdd, kSub, kMul, kTrueDiv, kFloorDiv, kMod, kPow, kAnd, kOr, kXor, kLShift, kRShift,
  kNumBinary,
  kNeg = kNumBinary, kPos, kAbs, kInvert,
  kLt, kLe, kEq, kNe, kGt, kGe,  // in Py_LT..Py_GE order
  kNumSlots,
};
// Names as in the dunders: "add" for __add__ (+ __iadd__), "neg" for __neg__, "lt" for __lt__.
constexpr std::array<const char*, kNumSlots> kSlotNames = {
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor", "lshift", "rshift",
    "neg", "pos", "abs", "invert", "lt", "le", "eq", "ne", "gt", "ge"};
std::array<int, kNumSlots> g_slot_op{};

template <int S>
PyObject* binary_slot(PyObject* a, PyObject* b) noexcept {
  return slot_call([&] {
    if (!is_operand(a) || !is_operand(b)) return not_implemented();
    return binary(g_slot_op[S], a, b);
  });
}

template <int S>
PyObject* in_place_slot(PyObject* a, PyObject* b) noexcept {
  return slot_call([&] { return is_operand(b) ? in_place(g_slot_op[S], a, b) : not_implemented(); });
}

PyObject* power_slot(PyObject* a, PyObject* b, PyObject* modulo) noexcept {
  if (modulo != Py_None) Py_RETURN_NOTIMPLEMENTED;  // pow(a, b, m): NumPy has no such loop either
  return binary_slot<kPow>(a, b);
}

PyObject* in_place_power_slot(PyObject* a, PyObject* b, PyObject* modulo) noexcept {
  if (modulo != Py_None) Py_RETURN_NOTIMPLEMENTED;
  return in_place_slot<kPow>(a, b);
}

template <int S>
PyObject* unary_slot(PyObject* a) noexcept {
  return slot_call([&] {
    const py::handle arg(a);
    return apply_ufunc(g_slot_op[S], std::span(&arg, 1), py::none());
  });
}

PyObject* richcompare_slot(PyObject* a, PyObject* b, int op) noexcept {
  return slot_call([&] {
    if (!is_operand(b)) return not_implemented();
    const std::array<py::handle, 2> args{a, b};
    return apply_ufunc(g_slot_op[kLt + op], args, py::none());
  });
}

template <int... S>
void install_binary(PyNumberMethods& nb, std::integer_sequence<int, S...>) {
  constexpr std::array<binaryfunc PyNumberMethods::*, kNumBinary> forward = {
      &PyNumberMethods::nb_add, &PyNumberMethods::nb_subtract, &PyNumberMethods::nb_multiply,
      &PyNumberMethods::nb_true_divide, &PyNumberMethods::nb_floor_divide,
      &PyNumberMethods::nb_remainder, nullptr, &PyNumberMethods::nb_and, &PyNumberMethods::nb_or,
      &PyNumberMethods::nb_xor, &PyNumberMethods::nb_lshift, &PyNumberMethods::nb_rshift};
  constexpr std::array<binaryfunc PyNumberMethods::*, kNumBinary> in_place = {
      &PyNumberMethods::nb_inplace_add, &PyNumberMethods::nb_inplace_subtract,
      &PyNumberMethods::nb_inplace_multiply, &PyNumberMethods::nb_inplace_true_divide,
      &PyNumberMethods::nb_inplace_floor_divide, &PyNumberMethods::nb_inplace_remainder, nullptr,
      &PyNumberMethods::nb_inplace_and, &PyNumberMethods::nb_inplace_or,
      &PyNumberMethods::nb_inplace_xor, &PyNumberMethods::nb_inplace_lshift,
      &PyNumberMethods::nb_inplace_rshift};
  ((S != kPow ? (nb.*forward[S] = &binary_slot<S>, nb.*in_place[S] = &in_place_slot<S>, 0) : 0), ...);
  nb.nb_power = &power_slot;
  nb.nb_inplace_power = &in_place_power_slot;
}

void install_operator_slots(py::type type, py::dict ops) {
  if (!g_operand_types) throw py::value_error("_set_operand_types must be called first");
  for (int s = 0; s < kNumSlots; ++s) {
    if (!ops.contains(kSlotNames[s])) throw py::key_error(std::string("no op for slot ") + kSlotNames[s]);
    g_slot_op[s] = ops[kSlotNames[s]].cast<int>();
  }
  auto* heap = reinterpret_cast<PyHeapTypeObject*>(type.ptr());
  PyNumberMethods& nb = heap->as_number;
  install_binary(nb, std::make_integer_sequence<int, kNumBinary>{});
  nb.nb_negative = &unary_slot<kNeg>;
  nb.nb_positive = &unary_slot<kPos>;
  nb.nb_absolute = &unary_slot<kAbs>;
  nb.nb_invert = &unary_slot<kInvert>;
  reinterpret_cast<PyTypeObject*>(type.ptr())->tp_richcompare = &richcompare_slot;
  PyType_Modified(reinterpret_cast<PyTypeObject*>(type.ptr()));
}

}  // namespace

void bind_operators(py::module_& m) {
  m.def("_set_operand_types", [](py::tuple types) {
    Py_XDECREF(g_operand_types);
    g_operand_types = types.inc_ref().ptr();
  }, "The types ndarray's operators accept (others get NotImplemented)");
  // A binary operator as a method: __add__ (reflected=False) or __radd__ (reflected=True).
  m.def("_operator_method", [m](int op_id, bool reflected) {
    return py::cpp_function(
        [op_id, reflected](py::handle self, py::handle other) -> py::object {
          if (!is_operand(other.ptr())) return not_implemented();
          return reflected ? binary(op_id, other.ptr(), self.ptr()) : binary(op_id, self.ptr(), other.ptr());
        },
        py::is_method(m.attr("ndarray")));
  });
  m.def("_in_place_operator_method", [m](int op_id) {
    return py::cpp_function(
        [op_id](py::handle self, py::handle other) -> py::object {
          return is_operand(other.ptr()) ? in_place(op_id, self.ptr(), other.ptr()) : not_implemented();
        },
        py::is_method(m.attr("ndarray")));
  });
  m.def("_install_operator_slots", &install_operator_slots, py::arg("type"), py::arg("ops"),
        "Points ndarray's number and comparison slots at the ops (call after setting the dunders)");
}

}  // namespace numfuse::bind
