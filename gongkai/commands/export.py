"""``gongkai export-onnx [MODEL_DIR]``: write MODEL_DIR/model.onnx from its safetensors (torch-free inference)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-onnx",
        help="export a trained model to ONNX (model.onnx beside model.safetensors) for fast inference",
        description="Regenerate MODEL_DIR/model.onnx from MODEL_DIR/model.safetensors and check that ONNX "
                    "Runtime reproduces the torch model's tags. Inference uses model.onnx while it matches "
                    "the weights (else it falls back to torch). `gongkai train` runs this itself.",
    )
    p.add_argument("model_dir", nargs="?", type=Path, default=None, metavar="MODEL_DIR",
                   help="model folder (default: $GONGKAI_MODEL or models/default)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gongkai.errors import GongkaiError
    from gongkai.settings import default_model_dir, model_available

    d = args.model_dir or default_model_dir()
    if not model_available(d):
        print(f"gongkai export-onnx: {d}: not a model folder (needs config.json and model.safetensors)",
              file=sys.stderr)
        return 2
    try:
        from gongkai.model.onnx_export import export_onnx

        out = export_onnx(d)
    except ImportError as exc:
        print(f"gongkai export-onnx: needs onnx and onnxruntime ({exc})", file=sys.stderr)
        return 2
    except GongkaiError as exc:
        print(f"gongkai export-onnx: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0
