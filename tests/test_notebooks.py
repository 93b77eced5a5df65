"""Every notebook in notebooks/ runs headless with the venv's kernel (pytest --nbmake), as CI does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(notebook: Path, tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbmake", "-q", "-p", "no:cacheprovider", str(notebook)],
        cwd=tmp_path,  # the notebook must not depend on the working directory
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_there_is_an_evaluation_notebook_without_committed_outputs() -> None:
    import nbformat

    names = [p.name for p in NOTEBOOKS]
    assert "evaluation.ipynb" in names
    nb = nbformat.read(NOTEBOOKS[names.index("evaluation.ipynb")], as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # no corpus text in git
