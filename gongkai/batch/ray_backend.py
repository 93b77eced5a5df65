"""``--engine ray``: the same per-document function on Ray Data, on a local Ray instance.

Ray is an optional extra (``pip install 'gongkai[ray]'``); it is imported only here, only when
asked for. Each Ray worker is an actor that loads the model once (``init_worker``) and then runs
``process_document`` on one document at a time; outcomes stream back as JSON strings so Ray's
Arrow blocks never have to type a nested report.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from gongkai.batch.discover import DocTask
from gongkai.batch.runner import BatchConfig, crashed, init_worker, process_document
from gongkai.errors import ConfigError

RAY_MISSING = (
    "--engine ray needs Ray, which is not installed: pip install 'gongkai[ray]' "
    "(or pip install 'ray[data]'), or use --engine local"
)


def import_ray():
    """Ray, or a ConfigError saying how to get it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ConfigError(RAY_MISSING) from exc
    return ray


class _Extractor:
    """A Ray Data actor: model loaded once in ``__init__``, then one document per call."""

    def __init__(self, cfg: dict, workers: int) -> None:
        self.cfg = cfg
        init_worker(cfg, workers)

    def __call__(self, batch: dict) -> dict:
        outs = [json.dumps(process_document(json.loads(t), self.cfg), ensure_ascii=False) for t in batch["task"]]
        return {"outcome": outs}


def run_ray(tasks: list[DocTask], cfg: BatchConfig, workers: int) -> Iterator[dict]:
    """Outcomes of ``tasks`` run by ``workers`` Ray actors (ray.init(num_cpus=…) locally if Ray is
    not already running). If Ray itself fails, every document without an outcome is recorded
    as failed at stage ``worker`` rather than losing the batch."""
    ray = import_ray()
    if not tasks:
        return
    started = False
    if not ray.is_initialized():
        ray.init(num_cpus=max(2, workers), include_dashboard=False, log_to_driver=False,
                 logging_level="ERROR", configure_logging=False)
        started = True
    for name in ("ray", "ray.data"):  # Ray's progress chatter would drown our summary
        logging.getLogger(name).setLevel(logging.WARNING)
    seen: set[str] = set()
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        ds = ray.data.from_items([{"task": json.dumps(t.to_dict(), ensure_ascii=False)} for t in tasks])
        ds = ds.map_batches(
            _Extractor,
            fn_constructor_kwargs={"cfg": cfg.to_dict(), "workers": max(1, workers)},
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=max(1, workers)),
            num_cpus=1,
        )
        for row in ds.iter_rows():
            oc = json.loads(row["outcome"])
            seen.add(oc["doc_id"])
            yield oc
    except Exception as exc:  # noqa: BLE001 - Ray failing must not lose the documents
        for t in tasks:
            if t.doc_id not in seen:
                yield crashed(t, exc)
    finally:
        if started:
            ray.shutdown()
