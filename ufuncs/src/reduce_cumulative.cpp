// Kernel lookup for the cumulative ops: cumsum, cumprod.
#include "numfuse/core/error.hpp"
#include "reduce_loop.hpp"

namespace numfuse::reduction {

ScanLoop scan_loop(ReductionOp op, DType input, DType acc) {
  return visit_direct_pair<ScanLoop>(input, acc, [op](auto in_tag, auto acc_tag) -> ScanLoop {
    using In = decltype(in_tag);
    using Acc = decltype(acc_tag);
    if (op == ReductionOp::cumsum) return erase_scan_kernel<ScanKernel<In, Acc, AddFold>>();
    if (op == ReductionOp::cumprod) return erase_scan_kernel<ScanKernel<In, Acc, MultiplyFold>>();
    throw_value_error("scan_loop: not a cumulative op");
  });
}

}  // namespace numfuse::reduction
