"""Resume is keyed on the input's hash, the method and the model version: a rerun skips only what
was made from the same input the same way; --force redoes everything."""

from __future__ import annotations

import os
from pathlib import Path

from gongkai.batch.discover import discover
from gongkai.batch.resume import STATE_DIR, model_version
from gongkai.batch.runner import BatchConfig, run_batch


def _batch(src: Path, out: Path, **cfg) -> tuple[int, int, int]:
    res = run_batch(discover([src], exclude=out), BatchConfig(out_dir=str(out), **cfg), progress=False)
    return res.done, res.skipped, res.failed


def test_rerun_redoes_what_changed(tmp_path: Path) -> None:
    from gongkai.synth import generate

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    docs = generate(3, 5)
    for i, doc in enumerate(docs):
        (src / f"年报{i}.txt").write_text(doc.text, encoding="utf-8")
    assert _batch(src, out, method="rules") == (3, 0, 0)
    assert sorted(p.stem for p in (out / STATE_DIR).glob("*.json")) == ["年报0", "年报1", "年报2"]
    assert _batch(src, out, method="rules") == (0, 3, 0)
    # the same bytes touched: hashed again, still the same input
    os.utime(src / "年报0.txt", ns=(1, 1))
    assert _batch(src, out, method="rules") == (0, 3, 0)
    # an edited input is redone, alone
    (src / "年报1.txt").write_text(docs[1].text + "\n附：本报告数据截至12月31日。\n", encoding="utf-8")
    assert _batch(src, out, method="rules") == (1, 2, 0)
    # another model version (as another --model would give) redoes everything
    assert _batch(src, out, method="rules", model_version="v2") == (3, 0, 0)
    assert _batch(src, out, method="rules", model_version="v2") == (0, 3, 0)
    # another method too; --force always
    assert _batch(src, out, method="auto", model_version="v2") == (3, 0, 0)
    assert _batch(src, out, method="auto", model_version="v2", force=True) == (3, 0, 0)
    # outputs from a run that kept no record (older versions) are redone once
    (out / STATE_DIR / "年报2.json").unlink()
    assert _batch(src, out, method="auto", model_version="v2") == (1, 2, 0)


def test_model_version_is_the_weights_hash(tmp_path: Path) -> None:
    assert model_version(tmp_path) is None
    (tmp_path / "model.safetensors").write_bytes(b"weights one")
    one = model_version(tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"other weights")
    assert model_version(tmp_path) not in (None, one)
