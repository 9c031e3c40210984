"""Build driver: parse -> generate -> compile (gfortran, gcc) -> link -> import, with a cache.

No meson, no distutils: the compilers are called directly. The cache key is a hash of the
sources, the signature file, the options and the generator version, so an unchanged rebuild
copies the previous extension module instead of compiling.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from .gen_c import generate_c
from .gen_fortran import generate_fortran
from .model import WrapError

GENERATOR_VERSION = "3"
# numfuse_capi.h, numfuse's C API header that the generated binding includes. Found through the
# numfuse package (not this file's real path: in a source checkout this folder is linked into it).
CAPI_INCLUDE = Path(sys.modules["numfuse"].__file__).parent / "include"
FORTRAN_SUFFIXES = (".f", ".f77", ".for", ".ftn", ".f90", ".f95", ".f03", ".f08", ".F", ".F90", ".F95")


def progress(step: str, text: str) -> None:
    print(f"fortran_wrap: {step}: {text}", file=sys.stderr, flush=True)


def cache_root() -> Path:
    base = os.environ.get("NUMFUSE_FORTRAN_WRAP_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "numfuse", "fortran_wrap")
    return Path(base)


def cache_key(name, sources, pyf, options) -> str:
    h = hashlib.sha256()
    for part in (GENERATOR_VERSION, sys.version, name, repr(options)):
        h.update(part.encode())
    h.update((Path(__file__).parent / "runtime.h").read_bytes())
    h.update((CAPI_INCLUDE / "numfuse_capi.h").read_bytes())
    for p in ([pyf] if pyf else []) + list(sources):
        h.update(os.path.basename(p).encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:24]


def _run(cmd, cwd) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise WrapError(f"{cmd[0]} failed (exit {proc.returncode}):\n{(proc.stderr or proc.stdout).rstrip()}")


def compile_and_link(name, interface, ordered_sources, workdir: Path, libraries=(), library_dirs=(),
                     extra_fflags=()) -> Path:
    runtime = (Path(__file__).parent / "runtime.h").read_text()
    progress("generate", f"shim and binding for {sum(1 for _ in interface.all_routines())} routines")
    try:
        shim = generate_fortran(interface)
        binding = generate_c(interface, runtime)
    except ValueError as e:
        raise WrapError(f"cannot generate the wrapper: {e}") from None
    (workdir / f"nfw_shim_{name}.f90").write_text(shim)
    (workdir / f"nfw_binding_{name}.c").write_text(binding)

    fflags = ["-O2", "-fPIC", "-J", str(workdir), "-I", str(workdir), *extra_fflags]
    objects = []
    progress("compile", f"{len(ordered_sources)} Fortran sources, shim and binding")
    for i, src in enumerate(ordered_sources):   # in module-dependency order: .mod files first
        obj = workdir / f"src{i}_{Path(src).stem}.o"
        _run(["gfortran", *fflags, "-c", os.path.abspath(src), "-o", str(obj)], workdir)
        objects.append(obj)
    import numpy
    include = sysconfig.get_paths()["include"]
    cflags = ["-O2", "-fPIC", "-std=gnu11", "-Wall", "-Wno-unused-label", "-Wno-unused-variable",
              "-Wno-unused-function", "-I", include, "-I", numpy.get_include(), "-I", str(CAPI_INCLUDE)]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(_run, ["gfortran", *fflags, "-ffree-line-length-none", "-c", f"nfw_shim_{name}.f90", "-o", "shim.o"], workdir),
                pool.submit(_run, ["gcc", *cflags, "-c", f"nfw_binding_{name}.c", "-o", "binding.o"], workdir)]
        for j in jobs:
            j.result()
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = workdir / f"{name}{suffix}"
    progress("link", target.name)
    _run(["gfortran", "-shared", "-o", str(target), "binding.o", "shim.o", *map(str, objects),
          *[f"-L{d}" for d in library_dirs], *[f"-Wl,-rpath,{os.path.abspath(d)}" for d in library_dirs],
          *[f"-l{lib}" for lib in libraries]], workdir)
    return target


def import_extension(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[name] = module
    return module


def check_tools() -> None:
    for tool in ("gfortran", "gcc"):
        if shutil.which(tool) is None:
            raise WrapError(f"{tool} not found on PATH (the project's scripts/install_system_deps.sh installs it)")
