// The kernels' instruction-set namespace. The block kernels are header templates; a translation
// unit compiled with AVX2 or AVX-512 flags (ufuncs/src/reduce_<isa>.cpp) defines
// NUMFUSE_REDUCTION_ISA before including them, so its instantiations get their own mangled names
// (numfuse::reduction::avx2::...) and can never be merged by the linker with the baseline copies
// that run on any x86-64. Everything else sees the baseline namespace, inline, as if it were not
// there.
#pragma once

#ifndef NUMFUSE_REDUCTION_ISA
#define NUMFUSE_REDUCTION_ISA baseline
#endif
