"""show_config / show_runtime: numfuse's own build and run-time configuration, where NumPy's
describe NumPy's (`np.show_config()` in a script run with `import numfuse as np` prints this)."""
import platform as _platform

import numpy as _np

from . import _core

__all__ = ["show_config", "show_runtime"]


def _config():
    from . import get_num_threads  # the package is fully imported by the time this is called
    return {
        "numfuse": {"version": _version()},
        "SIMD kernels": {"selected": _core._simd_arch()},
        "threads": {"numfuse": get_num_threads()},
        "Python": {"version": _platform.python_version(), "machine": _platform.machine()},
        "NumPy (interop and fallbacks)": {"version": _np.__version__},
    }


def _version():
    from . import __version__
    return __version__


def show_config(mode="stdout"):
    """numfuse's configuration: `mode='stdout'` prints it, `mode='dicts'` returns it."""
    config = _config()
    if mode == "dicts":
        return config
    if mode != "stdout":
        raise AttributeError("Invalid `mode`, use one of: stdout, dicts")
    for section, values in config.items():
        print(f"{section}:")
        for key, value in values.items():
            print(f"  {key}: {value}")
    return None


def show_runtime():
    """The run-time facts that decide numfuse's speed: SIMD kernels chosen and thread count."""
    show_config()
