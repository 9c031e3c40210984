"""Build driver: parse -> generate -> compile (gfortran, gcc) -> link -> import, with caches.

No meson, no distutils: the compilers are called directly, one job per core. Sources compile in
parallel as soon as the modules they `use` are compiled (a module's .mod file must exist before
its users compile). Two caches: object files (key: the source, its flags and the .mod files it
reads), so rebuilding after one changed file recompiles that file; and whole extension modules
(key: sources, signature file, options, generator), so an unchanged rebuild copies.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .gen_c import generate_c
from .gen_fortran import generate_fortran
from .model import WrapError

GENERATOR_VERSION = "4"
# numfuse_capi.h, numfuse's C API header that the generated binding includes. Found through the
# numfuse package (not this file's real path: in a source checkout this folder is linked into it).
CAPI_INCLUDE = Path(sys.modules["numfuse"].__file__).parent / "include"
FIXED_FORM_SUFFIXES = (".f", ".f77", ".for", ".ftn", ".F", ".FOR", ".F77")
FORTRAN_SUFFIXES = FIXED_FORM_SUFFIXES + (".f90", ".f95", ".f03", ".f08", ".F90", ".F95", ".F03", ".F08")
LINK_SUFFIXES = (".o", ".a", ".so")   # given as sources: linked as they are (as f2py does)
DEFAULT_OPT = ("-O2",)


@dataclass
class Options:
    """Compiler and linker options, as f2py's -c takes them."""
    libraries: list[str] = field(default_factory=list)          # -l
    library_dirs: list[str] = field(default_factory=list)       # -L
    include_dirs: list[str] = field(default_factory=list)       # -I
    defines: list[str] = field(default_factory=list)            # -D NAME[=VALUE]
    fflags: list[str] = field(default_factory=list)             # every Fortran source
    f77flags: list[str] = field(default_factory=list)           # fixed-form sources
    f90flags: list[str] = field(default_factory=list)           # free-form sources
    opt: list[str] = field(default_factory=lambda: list(DEFAULT_OPT))   # --opt / --noopt
    link_objects: list[str] = field(default_factory=list)       # .o/.a/.so given as sources
    jobs: int = 0                                               # 0: one per core

    def key(self) -> tuple:
        absolute = lambda ds: [os.path.abspath(d) for d in ds]
        return (self.libraries, absolute(self.library_dirs), absolute(self.include_dirs), self.defines,
                self.fflags, self.f77flags, self.f90flags, self.opt, absolute(self.link_objects))

    def fortran_flags(self, src: str) -> list[str]:
        form = self.f77flags if src.endswith(FIXED_FORM_SUFFIXES) else self.f90flags
        return [*self.opt, "-fPIC", *[f"-I{os.path.abspath(d)}" for d in self.include_dirs],
                *[f"-D{d}" for d in self.defines], *self.fflags, *form]


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
    # the generator itself: a changed parser or generator must not reuse a module built by the old one
    for part in sorted(Path(__file__).parent.glob("*.py")) + [Path(__file__).parent / "runtime.h"]:
        h.update(part.read_bytes())
    h.update((CAPI_INCLUDE / "numfuse_capi.h").read_bytes())
    for p in ([pyf] if pyf else []) + list(sources):
        h.update(os.path.basename(p).encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:24]


def _run(cmd, cwd) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise WrapError(f"{cmd[0]} failed (exit {proc.returncode}):\n{(proc.stderr or proc.stdout).rstrip()}")


# ---- module dependencies -------------------------------------------------------------------------

_MODULE = re.compile(r"^\s*module\s+(?!procedure\b|function\b|subroutine\b)([a-z_]\w*)\s*(?:!.*)?$", re.I | re.M)
_SUBMODULE = re.compile(r"^\s*submodule\s*\(\s*([a-z_]\w*)", re.I | re.M)
_USE = re.compile(r"^\s*use\b\s*(?:,\s*(?:non_)?intrinsic\s*)?(?:::)?\s*([a-z_]\w*)", re.I | re.M)


def module_deps(path: str) -> tuple[set[str], set[str]]:
    """(modules the file defines, modules it uses): a scan of `module`/`use` lines, enough to
    order compilation (the parser's full reading is not needed for it)."""
    text = Path(path).read_text(errors="replace")
    if path.endswith(FIXED_FORM_SUFFIXES):   # fixed form: a letter in column 1 starts a comment
        text = "\n".join("" if line[:1] in "cC*!" else line for line in text.splitlines())
    defines = {m.lower() for m in _MODULE.findall(text)}
    uses = {m.lower() for m in _USE.findall(text)} | {m.lower() for m in _SUBMODULE.findall(text)}
    return defines, uses - defines


class ObjectCache:
    """Object files and the .mod files each source wrote, keyed by what the compile reads."""

    def __init__(self, root: Path | None):
        self.root = root

    def lookup(self, key: str, obj: Path, moddir: Path) -> bool:
        if self.root is None:
            return False
        entry = self.root / key
        if not (entry / "object.o").is_file():
            return False
        shutil.copy2(entry / "object.o", obj)
        for mod in entry.glob("*.mod"):
            shutil.copy2(mod, moddir / mod.name)
        return True

    def compile(self, cmd: list[str], workdir: Path, obj: Path, key_parts, writes=()) -> bool:
        """Runs the compile `cmd` (it writes `obj`, and the .mod files `writes` into workdir) unless
        an entry for `key_parts` (str or bytes: everything the result depends on) exists, which is
        copied instead. True when it came from the cache."""
        h = hashlib.sha256()
        for part in key_parts:
            h.update(part if isinstance(part, bytes) else part.encode())
        key = h.hexdigest()[:32]
        if self.lookup(key, obj, workdir):
            return True
        _run(cmd, workdir)
        self.store(key, obj, [w for w in writes if w.exists()])
        return False

    def store(self, key: str, obj: Path, mods: list[Path]) -> None:
        if self.root is None:
            return
        entry = self.root / key
        tmp = self.root / f".{key}.{os.getpid()}.{threading.get_ident()}"
        tmp.mkdir(parents=True, exist_ok=True)
        shutil.copy2(obj, tmp / "object.o")
        for mod in mods:
            shutil.copy2(mod, tmp / mod.name)
        try:
            tmp.rename(entry)        # atomic: concurrent builds never see half an entry
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)


def compile_sources(sources: list[str], workdir: Path, options: Options, cache: ObjectCache,
                    pool: concurrent.futures.Executor) -> tuple[list[Path], int]:
    """Compiles every source into workdir (.mod files there too), in parallel in module-dependency
    order. Returns (object files in the order of `sources`, how many came from the cache)."""
    deps = {src: module_deps(src) for src in sources}
    definer = {m: src for src, (defs, _) in deps.items() for m in defs}
    compiler = _compiler_id()
    results: dict[str, concurrent.futures.Future] = {}
    hits = []

    def compile_one(i: int, src: str) -> Path:
        defs, uses = deps[src]
        local = sorted(m for m in uses if m in definer)
        for m in local:                     # a module's .mod must exist before its users compile
            results[definer[m]].result()
        flags = options.fortran_flags(src)
        obj = workdir / f"src{i}_{Path(src).stem}.o"
        key = [compiler, repr(flags), os.path.basename(src), Path(src).read_bytes(),
               *[(workdir / f"{m}.mod").read_bytes() for m in local]]
        cmd = ["gfortran", *flags, "-J", str(workdir), "-I", str(workdir), "-c", os.path.abspath(src), "-o", str(obj)]
        if cache.compile(cmd, workdir, obj, key, [workdir / f"{m}.mod" for m in defs]):
            hits.append(src)
        return obj

    def submit_in_order(done: set, src: str, stack=()) -> None:
        """Users are submitted after their modules' definers, so a waiting job never blocks a
        worker that its own dependency needs."""
        if src in done or src in stack:
            return
        for m in sorted(deps[src][1]):
            if m in definer and definer[m] != src:
                submit_in_order(done, definer[m], stack + (src,))
        done.add(src)
        results[src] = pool.submit(compile_one, sources.index(src), src)
    done: set = set()
    for src in sources:
        submit_in_order(done, src)
    objects = [results[src].result() for src in sources]
    return objects, len(hits)


_COMPILER_IDS: dict[str, str] = {}


def _compiler_id(compiler="gfortran") -> str:
    if compiler not in _COMPILER_IDS:
        out = subprocess.run([compiler, "--version"], capture_output=True, text=True).stdout
        _COMPILER_IDS[compiler] = out.splitlines()[0] if out else compiler
    return _COMPILER_IDS[compiler]


def compile_and_link(name, interface, sources, workdir: Path, options: Options, use_cache=True) -> Path:
    runtime = (Path(__file__).parent / "runtime.h").read_text()
    progress("generate", f"shim and binding for {sum(1 for _ in interface.all_routines())} routines")
    try:
        shim = generate_fortran(interface)
        binding = generate_c(interface, runtime)
    except ValueError as e:
        raise WrapError(f"cannot generate the wrapper: {e}") from None
    (workdir / f"nfw_shim_{name}.f90").write_text(shim)
    (workdir / f"nfw_binding_{name}.c").write_text(binding)

    import numpy
    include = sysconfig.get_paths()["include"]
    # the binding's own flags (--opt is for the Fortran sources, as f2py's). -O1 would compile a
    # 180-routine binding in half the time (3.3 s instead of 6.4 s of CPU) but costs 10-20 ns a call
    cflags = ["-O2", "-fPIC", "-std=gnu11", "-Wall", "-Wno-unused-label", "-Wno-unused-variable",
              "-Wno-unused-function", "-I", include, "-I", numpy.get_include(), "-I", str(CAPI_INCLUDE),
              *[f"-D{d}" for d in options.defines]]
    jobs = options.jobs or os.cpu_count() or 1
    cache = ObjectCache(cache_root() / "objects" if use_cache else None)
    progress("compile", f"{len(sources)} Fortran sources, shim and binding ({jobs} jobs)")
    # the shim and the binding go through the object cache too: a change inside a routine's body
    # leaves the interface, hence both generated files, as they were (the binding is the largest
    # compile of a many-file package)
    binding_key = [_compiler_id("gcc"), repr(cflags), binding, (CAPI_INCLUDE / "numfuse_capi.h").read_bytes(),
                   numpy.__version__, sys.version]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        binding_job = pool.submit(cache.compile, ["gcc", *cflags, "-c", f"nfw_binding_{name}.c", "-o", "binding.o"],
                                  workdir, workdir / "binding.o", binding_key)
        objects, hits = compile_sources(list(sources), workdir, options, cache, pool)
        shim_flags = [*options.opt, "-fPIC", *options.fflags, *options.f90flags, "-ffree-line-length-none"]
        used = sorted(module_deps(str(workdir / f"nfw_shim_{name}.f90"))[1])
        shim_key = [_compiler_id(), repr(shim_flags), shim,
                    *[(workdir / f"{m}.mod").read_bytes() for m in used if (workdir / f"{m}.mod").exists()]]
        shim_cmd = ["gfortran", *shim_flags, "-J", str(workdir), "-I", str(workdir), "-c", f"nfw_shim_{name}.f90",
                    "-o", "shim.o"]
        shim_hit = cache.compile(shim_cmd, workdir, workdir / "shim.o", shim_key)
        binding_hit = binding_job.result()
    reused = [what for what, hit in (("shim", shim_hit), ("binding", binding_hit)) if hit]
    progress("compile", f"{len(sources) - hits} compiled, {hits} from the object cache"
             + (f"; {' and '.join(reused)} from the object cache" if reused else ""))
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = workdir / f"{name}{suffix}"
    progress("link", target.name)
    _run(["gfortran", "-shared", "-o", str(target), "binding.o", "shim.o", *map(str, objects),
          *[os.path.abspath(o) for o in options.link_objects],
          *[f"-L{os.path.abspath(d)}" for d in options.library_dirs],
          *[f"-Wl,-rpath,{os.path.abspath(d)}" for d in options.library_dirs],
          *[f"-l{lib}" for lib in options.libraries]], workdir)
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
