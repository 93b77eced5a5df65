"""The ML backend (``gongkai studio serve``) connected to a real Label Studio server: Label Studio
asks it for predictions of imported tasks, sends it annotation webhooks, the backend retrains in the
background, and the next prediction comes from the new model version. Pull keeps tasks that share a
doc_id. Texts are invented."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest
from studio_server import StudioServer, free_port, studio_server  # noqa: F401 - the session fixture

from gongkai.settings import default_model_dir, model_available
from gongkai.studio.backend import Backend, BackendConfig, make_server
from gongkai.studio.client import Studio, StudioSettings
from gongkai.studio.config import labeling_config
from gongkai.studio.pull import pull_project
from gongkai.studio.push import Labeller
from gongkai.synth import generate

pytestmark = [pytest.mark.studio, pytest.mark.slow]
PROJECT = "ML backend test 镇"

needs_model = pytest.mark.skipif(not model_available(default_model_dir()), reason="no shipped model")


@pytest.fixture(scope="module")
def studio(studio_server: StudioServer) -> Studio:  # noqa: F811
    s = Studio(StudioSettings(studio_server.url, studio_server.token))
    s.check()
    return s


def _tiny_finetune(tmp: Path) -> Path:
    """A retrain that takes seconds and changes the weights by a hair (so it is never worse)."""
    cfg = {
        "name": "backend-test",
        "data": {"synth": {"n": 2, "seed": 5}, "heldout": {"n": 1, "seed": 6}},
        "windows": {"size": 512, "overlap": 128, "train_overlap": 0},
        "train": {"max_steps": 2, "batch_size": 4, "learning_rate": 1e-7, "warmup_ratio": 0.0,
                  "weight_decay": 0.0, "max_minutes": 3, "logging_steps": 1, "threads": 1},
    }
    path = tmp / "finetune.json"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("backend")
    cfg = BackendConfig(model=default_model_dir(), versions_dir=tmp / "versions",
                        train_config=_tiny_finetune(tmp), min_annotations=2)
    b = Backend(cfg)
    server = make_server(b, "127.0.0.1", free_port())
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    yield b, url
    b.wait(120)
    server.shutdown()
    server.server_close()


def _api(server: StudioServer, method: str, path: str, **kw) -> httpx.Response:
    r = httpx.request(method, server.url + path, headers={"Authorization": f"Token {server.token}"},
                      timeout=120, **kw)
    assert r.status_code < 300, (path, r.status_code, r.text[:500])
    return r


def _retrieve_predictions(server: StudioServer, pid: int) -> None:
    """The data manager's "Retrieve predictions" action, as a user runs it from the browser."""
    _api(server, "POST", f"/api/dm/actions?id=retrieve_tasks_predictions&project={pid}",
         json={"selectedItems": {"all": True, "excluded": []}})


def _tasks(studio: Studio, pid: int) -> dict[int, dict]:
    return {int(t["id"]): t for t in studio.list_tasks(pid)}


@needs_model
def test_backend_predicts_trains_and_switches_versions(studio: Studio, studio_server: StudioServer,  # noqa: F811
                                                        backend, tmp_path: Path) -> None:
    b, url = backend
    assert httpx.get(url + "/health").json()["status"] == "UP"
    pid, _ = studio.ensure_project(PROJECT, labeling_config())
    ml = _api(studio_server, "POST", "/api/ml", json={"url": url, "project": pid, "title": "gongkai"}).json()
    assert ml["state"] in ("CO", "TR"), ml  # connected: Label Studio reached /health and /setup

    docs = generate(3, seed=11)
    ids = studio.import_tasks(pid, [{"data": {"text": d.text, "doc_id": d.doc_id}} for d in docs[:2]])
    _retrieve_predictions(studio_server, pid)
    tasks = _tasks(studio, pid)
    first_version = b.model_version
    labeller = Labeller("auto", default_model_dir())
    for tid, d in zip(ids, docs[:2], strict=True):
        preds = tasks[tid]["predictions"]
        assert len(preds) == 1 and preds[0]["model_version"] == first_version
        got = sorted((r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
                     for r in preds[0]["result"] if r["type"] == "labels")
        want = sorted((s.start, s.end, s.label) for s in labeller.spans(d.text, d.doc_id))
        assert got == want  # auto's final spans, not the raw model's
        assert 0.0 < preds[0]["score"] <= 1.0

    # an annotator accepts both predictions: Label Studio sends ANNOTATION_CREATED webhooks
    for tid in ids:
        result = [{k: v for k, v in r.items() if k != "score"} for r in tasks[tid]["predictions"][0]["result"]]
        _api(studio_server, "POST", f"/api/tasks/{tid}/annotations/", json={"result": result})
    deadline = time.monotonic() + 20
    while not b.decisions and not b.training and time.monotonic() < deadline:
        time.sleep(0.2)
    b.wait(300)
    assert len(b.decisions) == 1, "two annotations should start exactly one retrain"
    d = b.decisions[0]
    assert d.train_docs == 1 and d.heldout_docs == 1
    new_dir = Path(d.path)
    assert new_dir.parent == b.cfg.versions_dir and (new_dir / "model.safetensors").is_file()
    assert "ML backend decision" in (new_dir / "README.md").read_text(encoding="utf-8")
    assert d.accepted, d.reason
    assert b.model_version != first_version and new_dir.name in b.model_version

    # the next task imported is predicted by the new version
    (new_id,) = studio.import_tasks(pid, [{"data": {"text": docs[2].text, "doc_id": docs[2].doc_id}}])
    _retrieve_predictions(studio_server, pid)
    pred = _tasks(studio, pid)[new_id]["predictions"]
    assert [p["model_version"] for p in pred] == [b.model_version]

    # the same report pushed twice under one doc_id: pull keeps both gold files
    dup = studio.import_tasks(pid, [{"data": {"text": docs[2].text, "doc_id": docs[0].doc_id}}])
    result = [{k: v for k, v in r.items() if k != "score"} for r in pred[0]["result"]]
    _api(studio_server, "POST", f"/api/tasks/{dup[0]}/annotations/", json={"result": result})
    res = pull_project(studio, PROJECT, tmp_path / "pull")
    names = sorted(p.name for p in res.gold_files)
    assert len(res.records) == 3 and len(names) == 3 == len(set(names))
    assert f"{docs[0].doc_id}__task{ids[0]}.json" in names and f"{docs[0].doc_id}__task{dup[0]}.json" in names
    assert len(res.renamed) == 2


def test_backend_answers_bad_requests_clearly(backend) -> None:
    _, url = backend
    r = httpx.post(url + "/predict", content=b"not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "bad request body" in r.json()["error"]
    assert httpx.get(url + "/nowhere").status_code == 404
    assert httpx.post(url + "/webhook", json={"action": "PROJECT_UPDATED"}).json()["status"] == "ignored"
