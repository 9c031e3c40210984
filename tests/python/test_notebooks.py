"""Executes every notebook in notebooks/ with a kernel running this interpreter (the .venv).

The kernel inherits this process's environment, PYTHONPATH included, so it imports the same
numfuse build the tests use. A cell that raises fails the test with the cell's traceback."""
import os
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
# Every notebook shows at least one plot (an image/png output of the run) unless named here.
WITHOUT_PLOTS = frozenset()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p) if not env.get("PYTHONPATH") else env["PYTHONPATH"]
    env.setdefault("NUMFUSE_FORTRAN_WRAP_CACHE", str(tmp_path / "fortran_wrap_cache"))
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors
    if path.stem not in WITHOUT_PLOTS:
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{path.name} made no plot"
