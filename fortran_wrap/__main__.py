"""Command line, as f2py's:

    python -m numfuse.fortran_wrap -c -m NAME FILES... [-L DIR] [-l LIB] [only: ... :] [skip: ... :]
    python -m numfuse.fortran_wrap -h NAME.pyf -m NAME FILES... [only: ... :]
    python -m numfuse.fortran_wrap -c NAME.pyf FILES...
"""
from __future__ import annotations

import os
import sys

from . import build, signature
from .model import WrapError

USAGE = __doc__


def parse_args(argv):
    opts = {"compile": False, "name": None, "pyf_out": None, "pyf_in": None, "sources": [], "only": None,
            "skip": None, "libs": [], "libdirs": [], "fflags": [], "build_dir": "."}
    i, mode = 0, None
    while i < len(argv):
        a = argv[i]
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
            i += 1
            opts["name"] = argv[i]
        elif a == "-h":
            i += 1
            opts["pyf_out"] = argv[i]
        elif a == "--build-dir":
            i += 1
            opts["build_dir"] = argv[i]
        elif a.startswith("-L"):
            opts["libdirs"].append(a[2:] or argv[(i := i + 1)])
        elif a.startswith("-l"):
            opts["libs"].append(a[2:] or argv[(i := i + 1)])
        elif a.startswith("--f90flags=") or a.startswith("--fflags="):
            opts["fflags"] += a.split("=", 1)[1].split()
        elif a in ("--help", "-help"):
            print(USAGE)
            sys.exit(0)
        elif a.endswith(".pyf"):
            opts["pyf_in"] = a
        elif a.startswith("-"):
            raise WrapError(f"unknown option {a!r}\n{USAGE}")
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
        if o["pyf_in"] and not o["name"]:
            from .pyf import read_pyf
            o["name"] = read_pyf(o["pyf_in"])[0]
        if not o["name"]:
            name = os.path.splitext(os.path.basename(o["pyf_out"]))[0] if o["pyf_out"] else None
            if not name:
                raise WrapError(f"no module name: give -m NAME\n{USAGE}")
            o["name"] = name
        if not o["sources"]:
            raise WrapError(f"no Fortran sources given\n{USAGE}")
        if o["pyf_out"]:
            signature(o["sources"], o["name"], o["pyf_out"], o["only"], o["skip"])
        if o["compile"]:
            path = build(o["sources"], o["name"], pyf=o["pyf_in"], only=o["only"], skip=o["skip"],
                         libraries=o["libs"], library_dirs=o["libdirs"], output_dir=o["build_dir"],
                         fflags=o["fflags"], import_module=False)
            print(f"fortran_wrap: built {path}", file=sys.stderr)
        elif not o["pyf_out"]:
            raise WrapError(f"nothing to do: give -c (build) or -h FILE.pyf (signature)\n{USAGE}")
    except WrapError as e:
        print(f"fortran_wrap: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
