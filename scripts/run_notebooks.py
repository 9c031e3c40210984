"""Executes notebooks in place, keeping their outputs (so they read on GitHub).

Usage: PYTHONPATH=python:build/pyext .venv/bin/python scripts/run_notebooks.py [notebooks/x.ipynb ...]
(default: every notebook in notebooks/). Each runs with its own folder as working directory."""
import sys
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    print(f"executed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        run(p)
