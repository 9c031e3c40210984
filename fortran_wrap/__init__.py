"""numfuse.fortran_wrap: legacy Fortran in, an importable Python module out (f2py-like).

    import numfuse as nf
    mod = nf.fortran_wrap.build(["blas1.f", "physics.f90"], name="mylib")
    y = mod.daxpy(2.0, x, y)            # numfuse or NumPy arrays in, numfuse arrays out

Pipeline: parse -> interface model -> Fortran ISO_C_BINDING shim + C binding ->
gfortran/gcc build of one extension module -> import. See docs/ARCHITECTURE.md.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from .build import (DEFAULT_OPT, FORTRAN_SUFFIXES, LINK_SUFFIXES, Options, cache_key, cache_root,
                    check_tools, compile_and_link, import_extension, progress)
from .model import WrapError

__all__ = ["build", "signature", "WrapError"]


def _interface(name, sources, pyf, only, skip, workdir, include_dirs=(), f2cmap=None, defines=()):
    from .parse import parse_sources
    from .pyf import pyf_interface
    if pyf:
        interface = pyf_interface(pyf, name, only, skip, f2cmap)
        # f2py's way: with a signature file the sources are only compiled (build.py orders them)
        return interface, list(sources)
    return parse_sources(name, list(sources), only, skip, f2cmap=f2cmap, include_dirs=include_dirs,
                         defines=defines)


def signature(sources, name, path=None, only=None, skip=None) -> str:
    """Writes the editable signature file NAME.pyf (f2py's -h) and returns its path."""
    from .pyf import write_pyf
    path = path or f"{name}.pyf"
    progress("parse", f"{len(sources)} sources")
    with tempfile.TemporaryDirectory() as tmp:
        interface, _ = _interface(name, sources, None, only, skip, tmp)
    for w in interface.warnings:
        print(f"fortran_wrap: warning: {w}", file=sys.stderr)
    write_pyf(interface, path)
    progress("signature", path)
    return path


def build(sources, name, *, pyf=None, only=None, skip=None, libraries=(), library_dirs=(),
          include_dirs=(), defines=(), fflags=(), f77flags=(), f90flags=(), opt=None, f2cmap=None,
          output_dir=".", build_dir=None, jobs=0, import_module=True, use_cache=True):
    """Builds the extension module `name` from Fortran `sources` into `output_dir` and imports it.

    `pyf` builds from an edited signature file; `only`/`skip` restrict the wrapped routines;
    `libraries`/`library_dirs` are linked (-l/-L), `include_dirs` searched for includes and .mod
    files (-I), `defines` given to the preprocessor (-D, "NAME" or "NAME=VALUE"); `fflags` go to
    every Fortran source, `f77flags` to fixed-form and `f90flags` to free-form ones; `opt` replaces
    the optimization flags (default -O2). Sources ending in .o/.a/.so are linked as they are.
    `f2cmap` is f2py's kind map file (default: .f2py_f2cmap of the current folder, if any).
    `build_dir` keeps the generated and compiled files there (default: a temporary folder);
    `jobs` compiles that many files at once (default: one per core). Returns the imported module
    (or its path when import_module=False). Unchanged inputs are a cache hit: nothing is compiled;
    object files are cached per source, so a rebuild compiles only the sources that changed.
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    sources = [str(s) for s in sources]
    if not name.isidentifier():
        raise WrapError(f"module name {name!r} is not a Python identifier")
    for s in sources:
        if not s.endswith(FORTRAN_SUFFIXES + LINK_SUFFIXES):
            raise WrapError(f"{s}: not a Fortran source ({', '.join(FORTRAN_SUFFIXES)}) or an object/library "
                            f"({', '.join(LINK_SUFFIXES)})")
        if not os.path.exists(s):
            raise WrapError(f"{s}: no such file")
    fortran = [s for s in sources if s.endswith(FORTRAN_SUFFIXES)]
    options = Options(list(libraries), list(library_dirs), list(include_dirs), list(defines), list(fflags),
                      list(f77flags), list(f90flags), list(DEFAULT_OPT if opt is None else opt),
                      [s for s in sources if s.endswith(LINK_SUFFIXES)], jobs)
    check_tools()
    kind_map = f2cmap or ".f2py_f2cmap"
    kind_map_text = Path(kind_map).read_text() if os.path.isfile(kind_map) else ""
    key = cache_key(name, fortran + options.link_objects, pyf,
                    (sorted(only or ()), sorted(skip or ()), options.key(), kind_map_text))
    cached = cache_root() / key
    out_dir = Path(output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    hits = list(cached.glob(f"{name}.*")) if use_cache and cached.is_dir() else []
    if hits:
        progress("cache", f"hit {key}: nothing to compile")
        target = out_dir / hits[0].name
        if target.resolve() != hits[0].resolve():
            shutil.copy2(hits[0], target)
    else:
        with tempfile.TemporaryDirectory(prefix="nfw_") as tmp:
            workdir = Path(build_dir or tmp).resolve()   # the compilers run inside it
            workdir.mkdir(parents=True, exist_ok=True)
            progress("parse", f"{len(fortran)} sources" + (f" with signature file {pyf}" if pyf else ""))
            interface, order = _interface(name, fortran, pyf, only, skip, str(workdir), include_dirs, f2cmap,
                                          defines)
            for w in interface.warnings:
                print(f"fortran_wrap: warning: {w}", file=sys.stderr)
            built = compile_and_link(name, interface, order, workdir, options, use_cache)
            target = out_dir / built.name
            shutil.copy2(built, target)
            if use_cache:
                cached.mkdir(parents=True, exist_ok=True)
                shutil.copy2(built, cached / built.name)
    if not import_module:
        return target
    return import_extension(name, target)
