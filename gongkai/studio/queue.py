"""The annotation queue: tasks nobody has labelled yet, least confident prediction first, so that
human time goes where the labeller is most unsure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.studio.client import Studio


@dataclass(frozen=True)
class QueueItem:
    task_id: int
    doc_id: str
    score: float
    min_span_score: float
    n_spans: int
    model_version: str | None


def _latest_prediction(task: dict[str, Any]) -> dict[str, Any] | None:
    preds = task.get("predictions") or []
    if not preds:
        return None
    return max(preds, key=lambda p: (str(p.get("created_at") or ""), int(p.get("id") or 0)))


def is_unlabelled(task: dict[str, Any]) -> bool:
    """No live (not cancelled) annotation yet."""
    return not any(not a.get("was_cancelled") for a in task.get("annotations") or [])


def queue_item(task: dict[str, Any]) -> QueueItem:
    """Score of a task: its latest prediction's overall score (0 without one), ties by weakest span."""
    pred = _latest_prediction(task)
    result = [r for r in (pred or {}).get("result") or [] if r.get("type") == "labels"]
    span_scores = [float(r["score"]) for r in result if isinstance(r.get("score"), (int, float))]
    score = float(pred["score"]) if pred and pred.get("score") is not None else 0.0
    return QueueItem(
        task_id=int(task["id"]),
        doc_id=str((task.get("data") or {}).get("doc_id") or f"task-{task['id']}"),
        score=score,
        min_span_score=min(span_scores) if span_scores else 0.0,
        n_spans=len(result),
        model_version=(pred or {}).get("model_version"),
    )


def order_queue(tasks: list[dict[str, Any]], n: int | None = None) -> list[QueueItem]:
    """Unlabelled tasks, lowest score first (then weakest span, then task id); the first ``n``."""
    items = sorted(
        (queue_item(t) for t in tasks if is_unlabelled(t)),
        key=lambda q: (q.score, q.min_span_score, q.task_id),
    )
    return items if n is None else items[:n]


def annotation_queue(studio: Studio, project: str, n: int | None = None) -> list[QueueItem]:
    """The queue of a project by title (ProjectNotFound if there is none)."""
    return order_queue(studio.list_tasks(studio.find_project(project)), n)
