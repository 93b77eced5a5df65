"""``--engine ray`` gives the same outputs as the local engine.

Ray is an optional extra (``pip install 'gongkai[ray]'``): without it this module is skipped
(the missing-Ray usage error is tested in test_batch_e2e.py). Starting a local Ray instance
takes ~10-20 s on 2 cores, hence one batch only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("ray")
pytest.importorskip("ray.data")

from test_batch_e2e import outputs, read_jsonl, run_extract, write_good  # noqa: E402


@pytest.mark.slow
def test_ray_engine_matches_local(tmp_path: Path) -> None:
    root = tmp_path / "in"
    good = write_good(root, n=3, seed=5)
    (root / "空白.txt").write_bytes(b"")
    local, ray_out = tmp_path / "local", tmp_path / "ray"
    assert run_extract(str(root), "-o", str(local), "--format", "jsonl", "--no-progress") == 1
    assert run_extract(str(root), "-o", str(ray_out), "--engine", "ray", "--workers", "2", "--format", "jsonl",
                       "--no-progress") == 1
    assert outputs(ray_out) == outputs(local)
    assert sorted(p.stem for p in ray_out.glob("报告*.json")) == sorted(good)
    assert [Path(e["file"]).name for e in read_jsonl(ray_out / "errors.jsonl")] == ["空白.txt"]
    summary = json.loads((ray_out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["engine"], summary["done"], summary["failed"]) == ("ray", len(good), 1)
