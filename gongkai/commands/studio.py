"""``gongkai studio push|pull|queue|serve|config``: the annotation loop in Label Studio.

The server and key come from LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY; the key is never printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from gongkai.errors import GongkaiError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "studio",
        help="annotate in Label Studio: push pre-labelled documents, pull annotations, show the queue",
        description="Needs LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY (personal access token or legacy token).",
    )
    ss = p.add_subparsers(dest="studio_command", required=True)

    push = ss.add_parser("push", help="import documents as tasks with predicted spans (idempotent)")
    push.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="documents or folders of documents"
    )
    push.add_argument("--project", required=True, help="project title (created if missing)")
    push.add_argument(
        "--method",
        choices=("auto", "rules", "model"),
        default="auto",
        help="pre-labeller: the model when available (auto), or force rules/model",
    )
    push.add_argument(
        "--model", type=Path, default=None, help="model folder (default: GONGKAI_MODEL or models/default)"
    )
    push.set_defaults(func=run_push)

    pull = ss.add_parser("pull", help="export annotations → raw export, training records, gold JSON")
    pull.add_argument("--project", required=True, help="project title")
    pull.add_argument(
        "-o", "--out", type=Path, required=True, help="output folder, e.g. annotations/exports/NAME"
    )
    pull.add_argument("--no-gold", action="store_true", help="skip gold schema JSON (no post-processor run)")
    pull.set_defaults(func=run_pull)

    queue = ss.add_parser("queue", help="unlabelled tasks, least confident prediction first")
    queue.add_argument("--project", required=True, help="project title")
    queue.add_argument("-n", type=int, default=20, help="how many to show (default 20)")
    queue.add_argument("--json", action="store_true", help="print JSON instead of a table")
    queue.set_defaults(func=run_queue)

    serve = ss.add_parser(
        "serve",
        help="run a Label Studio ML backend: predictions on import/open, retraining on submitted annotations",
        description="Connect it in Label Studio: project → Settings → Model → Connect Model, URL "
        "http://HOST:PORT. Label Studio must be started with ML_BLOCK_LOCAL_IP=false and "
        "SSRF_PROTECTION_ENABLED=false to reach a backend on this machine.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=9090, help="port (default 9090)")
    serve.add_argument(
        "--model", type=Path, default=None, help="model to start from (default: GONGKAI_MODEL or models/default)"
    )
    serve.add_argument("--rules", action="store_true", help="predict with the rules only (no model, no retraining)")
    serve.add_argument(
        "--versions-dir", type=Path, default=Path("models/studio"),
        help="retrained versions are written here, one folder each (default models/studio)",
    )
    serve.add_argument(
        "--train-config", type=Path, default=None,
        help="fine-tune recipe (default training/studio_finetune.json)",
    )
    serve.add_argument(
        "--min-annotations", type=int, default=10, help="new annotations that start a retrain (default 10)"
    )
    serve.set_defaults(func=run_serve)

    config = ss.add_parser("config", help="write the labeling config generated from the span label set")
    config.add_argument(
        "-o", "--out", type=Path, default=None, help="file (default annotations/labeling_config.xml)"
    )
    config.set_defaults(func=run_config)


def _fail(e: Exception) -> int:
    print(f"gongkai studio: error: {e}", file=sys.stderr)
    return 2


def run_push(args: argparse.Namespace) -> int:
    from gongkai.studio.client import Studio
    from gongkai.studio.push import push_documents

    try:
        studio = Studio.from_env()
        studio.check()
        res = push_documents(studio, args.project, args.inputs, method=args.method, model_path=args.model)
    except GongkaiError as e:
        return _fail(e)
    made = "created" if res.created_project else "found"
    print(
        f"project {args.project!r} (id {res.project_id}, {made}): {len(res.imported)} imported, "
        f"{len(res.already_there)} already there, {len(res.failed)} failed"
    )
    for f in res.failed:
        print(f"  failed: {f}", file=sys.stderr)
    return 1 if res.failed else 0


def run_pull(args: argparse.Namespace) -> int:
    from gongkai.studio.client import Studio
    from gongkai.studio.pull import pull_project

    try:
        studio = Studio.from_env()
        studio.check()
        res = pull_project(studio, args.project, args.out, gold=not args.no_gold)
    except GongkaiError as e:
        return _fail(e)
    print(
        f"{res.tasks} tasks, {len(res.records)} annotated → {res.records_path} "
        f"({sum(len(r.spans) for r in res.records)} spans), {len(res.gold_files)} gold files written"
    )
    for r in res.renamed:
        print(f"  doc_id shared by several tasks: {r}", file=sys.stderr)
    for p in res.problems:
        print(f"  {p}", file=sys.stderr)
    return 0


def run_queue(args: argparse.Namespace) -> int:
    from gongkai.studio.client import Studio
    from gongkai.studio.queue import annotation_queue

    try:
        studio = Studio.from_env()
        studio.check()
        items = annotation_queue(studio, args.project, args.n)
    except GongkaiError as e:
        return _fail(e)
    if args.json:
        print(json.dumps([asdict(q) for q in items], ensure_ascii=False, indent=1))
        return 0
    print(f"{'task':>6}  {'score':>6}  {'min':>6}  {'spans':>5}  doc")
    for q in items:
        print(f"{q.task_id:>6}  {q.score:6.3f}  {q.min_span_score:6.3f}  {q.n_spans:>5}  {q.doc_id}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    import logging

    from gongkai.settings import REPO_ROOT, default_model_dir, model_available
    from gongkai.studio.backend import Backend, BackendConfig, make_server

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    model = None if args.rules else (args.model or default_model_dir())
    if model is not None and not model_available(model):
        return _fail(GongkaiError(f"{model}: no model here (need config.json and model.safetensors); "
                                  "use --rules to serve the rule labeller"))
    cfg = BackendConfig(
        model=model,
        versions_dir=args.versions_dir,
        train_config=args.train_config or REPO_ROOT / "training" / "studio_finetune.json",
        min_annotations=max(1, args.min_annotations),
    )
    try:
        server = make_server(Backend(cfg), args.host, args.port)
    except OSError as e:
        return _fail(GongkaiError(f"cannot listen on {args.host}:{args.port}: {e.strerror}"))
    print(f"gongkai ML backend on http://{args.host}:{args.port} (model: {model or 'rules'}); Ctrl-C stops it",
          file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def run_config(args: argparse.Namespace) -> int:
    from gongkai.studio.config import CONFIG_PATH, write_config

    print(write_config(args.out or CONFIG_PATH))
    return 0
