"""Command line, as f2py's:

    python -m numfuse.fortran_wrap -c -m NAME FILES... [options] [only: ... :] [skip: ... :]
    python -m numfuse.fortran_wrap -h NAME.pyf -m NAME FILES... [only: ... :]
    python -m numfuse.fortran_wrap -c NAME.pyf FILES... [options]

FILES: Fortran sources (fixed and free form), and .o/.a/.so files to link as they are.
Options of -c (f2py's spelling):
    -I<dir> -L<dir> -l<lib> -D<name>[=<value>]   include/.mod folder, library folder, library, define
    --f77flags="..."  --f90flags="..."            flags for fixed-form / free-form sources
    --fflags="..."                                flags for every Fortran source
    --opt="..."  --noopt                          optimization flags (default -O2) / none
    --f2cmap <file>                               f2py's kind map (default: ./.f2py_f2cmap)
    --build-dir <dir>                             keep the generated and compiled files there
    -j <n>, --jobs <n>                            parallel compile jobs (default: one per core)
The extension module is written to the current folder.
"""
from __future__ import annotations

import os
import sys

from . import build, signature
from .model import WrapError

USAGE = __doc__


_VALUE_OPTIONS = {"--f77flags": "f77flags", "--f90flags": "f90flags", "--fflags": "fflags", "--opt": "opt"}
_IGNORED = ("--fcompiler=gnu95", "--fcompiler=gnu", "--fcompiler=gfortran", "--quiet", "--verbose", "--noarch",
            "--lower", "--backend=meson", "--backend=distutils")


def parse_args(argv):
    opts = {"compile": False, "name": None, "pyf_out": None, "pyf_in": None, "sources": [], "only": None,
            "skip": None, "libs": [], "libdirs": [], "incdirs": [], "defines": [], "fflags": [], "f77flags": [],
            "f90flags": [], "opt": None, "f2cmap": None, "build_dir": None, "jobs": 0}
    i, mode = 0, None

    def value():        # the option's argument: the next word
        nonlocal i
        i += 1
        if i >= len(argv):
            raise WrapError(f"option {argv[i - 1]!r} needs a value")
        return argv[i]
    while i < len(argv):
        a = argv[i]
        flag, eq, rest = a.partition("=")
        if mode in ("only", "skip"):
            if a == ":":
                mode = None
            else:
                opts[mode].append(a.lower())
        elif a in ("only:", "skip:"):
            mode = a[:-1]
            opts[mode] = opts[mode] or []
        elif a == "-c":
            opts["compile"] = True
        elif a == "-m":
            opts["name"] = value()
        elif a == "-h":
            opts["pyf_out"] = value()
        elif a == "--build-dir":
            opts["build_dir"] = value()
        elif a == "--f2cmap" or flag == "--f2cmap":
            opts["f2cmap"] = rest if eq else value()
        elif a in ("-j", "--jobs") or flag == "--jobs":
            text = rest if eq else value()
            if not text.isdigit() or int(text) < 1:
                raise WrapError(f"{a}: expected a positive number of jobs, got {text!r}")
            opts["jobs"] = int(text)
        elif flag in _VALUE_OPTIONS:
            key = _VALUE_OPTIONS[flag]
            words = (rest if eq else value()).split()
            opts[key] = words if key == "opt" else opts[key] + words
        elif a == "--noopt":
            opts["opt"] = []
        elif a.startswith(("-L", "-l", "-I", "-D")) and not a.startswith("--"):
            key = {"-L": "libdirs", "-l": "libs", "-I": "incdirs", "-D": "defines"}[a[:2]]
            opts[key].append(a[2:] or value())
        elif a in _IGNORED:
            pass
        elif a in ("--help", "-help"):
            print(USAGE)
            sys.exit(0)
        elif a.endswith(".pyf"):
            opts["pyf_in"] = a
        elif a.startswith("-"):
            raise WrapError(f"unknown option {a!r} (see --help)")
        else:
            opts["sources"].append(a)
        i += 1
    if mode is not None:
        raise WrapError(f"'{mode}:' list is not closed with ':'")
    return opts


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        o = parse_args(argv)
        if o["pyf_in"]:   # as f2py: the signature file's first python module is the one built
            from .pyf import read_pyf
            first = read_pyf(o["pyf_in"])[0]
            if o["name"] and o["name"] != first:
                print(f"fortran_wrap: ignoring -m {o['name']}: {o['pyf_in']} defines {first} to be the module name",
                      file=sys.stderr)
            o["name"] = first
        if not o["name"]:
            name = os.path.splitext(os.path.basename(o["pyf_out"]))[0] if o["pyf_out"] else None
            if not name:
                raise WrapError("no module name: give -m NAME (see --help)")
            o["name"] = name
        if not o["sources"]:
            raise WrapError("no Fortran sources given (see --help)")
        if o["pyf_out"]:
            signature(o["sources"], o["name"], o["pyf_out"], o["only"], o["skip"])
        if o["compile"]:
            path = build(o["sources"], o["name"], pyf=o["pyf_in"], only=o["only"], skip=o["skip"],
                         libraries=o["libs"], library_dirs=o["libdirs"], include_dirs=o["incdirs"],
                         defines=o["defines"], fflags=o["fflags"], f77flags=o["f77flags"], f90flags=o["f90flags"],
                         opt=o["opt"], f2cmap=o["f2cmap"], build_dir=o["build_dir"], jobs=o["jobs"],
                         import_module=False)
            print(f"fortran_wrap: built {path}", file=sys.stderr)
        elif not o["pyf_out"]:
            raise WrapError("nothing to do: give -c (build) or -h FILE.pyf (signature) (see --help)")
    except WrapError as e:
        return _error(str(e))
    except OSError as e:   # a file that cannot be read or written: the path and the reason
        return _error(f"{e.filename}: {e.strerror}" if e.filename else str(e))
    except KeyboardInterrupt:
        return _error("interrupted", 130)
    except Exception as e:   # a bug of the wrapper: still one line, the traceback on request
        if os.environ.get("NUMFUSE_FORTRAN_WRAP_DEBUG"):
            raise
        return _error(f"internal error: {type(e).__name__}: {e} (set NUMFUSE_FORTRAN_WRAP_DEBUG=1 for the "
                      "traceback, and please report it)", 2)
    return 0


def _error(text: str, code: int = 1) -> int:
    """Every error is one line on stderr (a compiler's own diagnostics follow it) and exit code != 0."""
    print(f"fortran_wrap: error: {text}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
