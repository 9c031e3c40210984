"""numfuse: a numerical array engine with a NumPy-like API.

    import numfuse as nf
    a = nf.arange(10.0)
    b = a[::2].reshape(5, 1)
"""
from pkgutil import extend_path

# During development the compiled extension lives in the build tree (<build>/pyext/numfuse);
# extend_path lets `numfuse._core` be found there when that folder is on sys.path.
__path__ = extend_path(__path__, __name__)

from . import _core  # noqa: E402
from ._core import ndarray, memory_stats, set_memory_pool_limit, release_memory_pool  # noqa: E402
from ._dtypes import *  # noqa: E402,F401,F403
from ._dtypes import dtype, result_type_of  # noqa: E402,F401
from ._array_api import *  # noqa: E402,F401,F403
from ._creation import *  # noqa: E402,F401,F403
from ._manipulation import *  # noqa: E402,F401,F403
from ._indexing import *  # noqa: E402,F401,F403
from ._ufuncs import *  # noqa: E402,F401,F403
from ._reductions import *  # noqa: E402,F401,F403
from ._linalg_ops import *  # noqa: E402,F401,F403
from . import _ndarray  # noqa: E402,F401  (attaches the Python-level ndarray methods)
from . import linalg  # noqa: E402,F401
from . import fft  # noqa: E402,F401
from ._dlpack import from_dlpack  # noqa: E402,F401
from ._io import save, load  # noqa: E402,F401
from . import random  # noqa: E402,F401
from ._lazy import *  # noqa: E402,F401,F403
from ._jit_trace import *  # noqa: E402,F401,F403
from ._sorting import *  # noqa: E402,F401,F403
from ._statistics import *  # noqa: E402,F401,F403
from ._textio import *  # noqa: E402,F401,F403
from ._index_tricks import *  # noqa: E402,F401,F403
from ._diagonals import *  # noqa: E402,F401,F403
from ._splitting import *  # noqa: E402,F401,F403
from ._stacking import *  # noqa: E402,F401,F403
from ._comparison import *  # noqa: E402,F401,F403
from ._selection import *  # noqa: E402,F401,F403
from ._padding import *  # noqa: E402,F401,F403
from ._interp import *  # noqa: E402,F401,F403
from ._bits import *  # noqa: E402,F401,F403
from ._fromfuncs import *  # noqa: E402,F401,F403
from ._nanfunctions import *  # noqa: E402,F401,F403
from ._typecheck import *  # noqa: E402,F401,F403
from ._array_edit import *  # noqa: E402,F401,F403
from ._sequences import *  # noqa: E402,F401,F403
from ._windows import *  # noqa: E402,F401,F403
from ._signal import *  # noqa: E402,F401,F403
from ._polynomial import *  # noqa: E402,F401,F403
from ._memory import *  # noqa: E402,F401,F403
from ._printing import *  # noqa: E402,F401,F403
from ._config import *  # noqa: E402,F401,F403
from ._fp_errors import *  # noqa: E402,F401,F403
from ._fallback import fallbacks, set_fallback_warnings, FallbackWarning  # noqa: E402,F401
from . import _dropin  # noqa: E402

from . import _dask, _overrides  # noqa: E402

_overrides.install(globals())  # nf.sum(dask_array) & co. defer to Dask, as np.sum does
_dask.install()  # numfuse's ndarray as a Dask chunk type, once dask.array is imported
_dropin.install()  # last: NumPy's other public names as fallbacks, only where none is native

__version__ = "0.1.0"
