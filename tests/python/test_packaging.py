"""`pip install .` must keep working for users: the wheel's metadata is produced by the same
scikit-build-core hook pip calls (without compiling), and the wheel ships the package files
that are not Python modules."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_metadata_is_valid(tmp_path, monkeypatch):
    build = pytest.importorskip("scikit_build_core.build")
    monkeypatch.chdir(ROOT)
    dist_info = build.prepare_metadata_for_build_wheel(str(tmp_path))
    metadata = (tmp_path / dist_info / "METADATA").read_text()
    assert "Name: numfuse" in metadata
    assert "Requires-Dist: numpy" in metadata
    assert "License: BSD-3-Clause" in metadata


def test_package_data_lives_inside_the_package():
    # The Fortran wrapper compiles against headers that must be installed with the package.
    package = ROOT / "python" / "numfuse"
    assert (package / "fortran_wrap" / "runtime.h").is_file()
    assert any((package / "include").glob("*.h"))
    assert os.path.isfile(ROOT / "pyproject.toml")


def test_wheel_maps_the_fortran_wrapper_into_the_package():
    # fortran_wrap/ (top level) must land in the wheel as numfuse/fortran_wrap, runtime.h included,
    # as scikit-build-core maps it from pyproject.toml's wheel.packages table.
    pathutil = pytest.importorskip("scikit_build_core.build._pathutil")
    settings = pytest.importorskip("scikit_build_core.settings.skbuild_read_settings")
    packages = settings.SettingsReader.from_file(ROOT / "pyproject.toml").settings.wheel.packages
    assert packages["numfuse/fortran_wrap"] == "fortran_wrap"
    targets = {
        str(target)
        for _, target in pathutil.iter_package_files(
            packages={k: str(ROOT / v) for k, v in packages.items()}, include=[], src_exclude=[],
            target_exclude=[], build_dir="build", mode="default")
    }
    for name in ("__init__.py", "__main__.py", "build.py", "runtime.h"):
        assert f"numfuse/fortran_wrap/{name}" in targets
    assert "numfuse/__init__.py" in targets
