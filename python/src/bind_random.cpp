// numfuse._core's random pieces: SeedSequence's hashing, the PCG64 and MT19937 bit generators and
// their samplers. Argument checking (bounds, shapes, NumPy's error types) is done by
// numfuse.random, which owns the user-facing Generator and RandomState.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>

#include "bindings.hpp"
#include "convert.hpp"
#include "numfuse/core/random.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::bind {

namespace {

// The samplers both bit generators offer. The GIL stays held while sampling: it is what
// serializes use of one generator from several Python threads (NumPy's generators take a lock
// for the same reason); a threaded fill_random uses only its own worker threads.
template <class Gen>
void bind_common_samplers(py::class_<Gen>& cls) {
  cls.def("state", &Gen::state)
      .def("set_state", &Gen::set_state)
      .def("next_uint64", &Gen::next64)
      .def("next_uint32", &Gen::next32)
      .def("fill_random", [](Gen& gen, const Array& out) { fill_random(gen, out, &ufuncs::parallel_run); })
      .def("fill_uniform", &fill_uniform<Gen>)
      .def("fill_integers", &fill_integers<Gen>)
      .def("shuffle_rows", &shuffle_rows<Gen>)
      .def("fill_gamma", &fill_gamma<Gen>)
      .def("fill_beta", &fill_beta<Gen>)
      .def("fill_poisson", &fill_poisson<Gen>)
      .def("fill_binomial", &fill_binomial<Gen>);
}

}  // namespace

void bind_random(py::module_& m) {
  m.def("_seed_sequence_pool", &seed_sequence_pool, py::arg("entropy"), py::arg("pool_size"));
  m.def("_seed_sequence_generate", &seed_sequence_generate, py::arg("pool"), py::arg("n_words"));

  py::class_<Pcg64> pcg64(m, "_Pcg64");
  pcg64.def(py::init<const std::vector<uint64_t>&>(), py::arg("seed_words"))
      .def("advance", [](Pcg64& gen, uint64_t high, uint64_t low) {
        gen.advance((static_cast<Pcg64::u128>(high) << 64) | low);
      })
      .def("fill_standard_normal", &fill_standard_normal<Pcg64>)
      .def("fill_standard_exponential", &fill_standard_exponential<Pcg64>)
      .def("fill_normal", &fill_normal<Pcg64>)
      .def("fill_exponential", &fill_exponential<Pcg64>)
      .def("choice_without_replacement", [](Pcg64& gen, int64_t pop_size, int64_t size, bool shuffle) {
        const std::vector<int64_t> chosen = choice_without_replacement(gen, pop_size, size, shuffle);
        Array out = Array::empty(Shape{size}, DType::Int64);
        if (size > 0) std::memcpy(out.data(), chosen.data(), chosen.size() * sizeof(int64_t));
        return out;
      });
  bind_common_samplers(pcg64);

  py::class_<Mt19937> mt19937(m, "_Mt19937");
  mt19937.def(py::init<uint32_t>(), py::arg("seed"))
      .def("seed_int", &Mt19937::seed_int)
      .def("seed_array", &Mt19937::seed_array)
      .def("fill_legacy_normal", &fill_legacy_normal);
  bind_common_samplers(mt19937);
}

}  // namespace numfuse::bind
