"""`synth generate coder`: the sub-mode of `synth generate` whose tasks come from LLM-written
generators (`synth.coder_generate`). Kept apart so `synth --help` does not import the coder."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_coder_arguments(kinds: Any) -> None:
    """Register `coder` under `synth generate`'s kinds."""
    p = kinds.add_parser("coder", help="tasks from LLM-written generators run in the sandbox")
    p.add_argument("--n", type=int, default=10, help="tasks to keep (default 10)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--seed", type=int, default=0, help="random seed for seed tasks and inputs (default 0)")
    p.add_argument("--seed-tasks", default="arc1/training", help="tasks to imitate: file, folder or dataset")
    p.add_argument("--pairs", type=int, default=4, help="train pairs per task (default 4)")
    p.add_argument("--max-attempts", type=int, default=None, help="LLM calls at most (default 3 per task)")
    p.add_argument("--model", default=None, help="model name (default: $SYNTH_MODEL or the config file)")


def run_coder_command(args: argparse.Namespace, out: Path) -> int:
    from dsl.task import Task
    from synth.coder import load_config
    from synth.coder_generate import CATEGORY, CoderGenerateConfig, generate_coder_tasks
    from synth.errors import UserError
    from synth.generate import JsonFolderWriter
    from synth.sources import load_source

    if args.n < 1 or args.pairs < 1:
        raise UserError("--n and --pairs must be at least 1")
    coder = load_config({"model": args.model})
    seed_tasks = [t for t in load_source(args.seed_tasks) if isinstance(t, Task)]
    if not seed_tasks:
        raise UserError(f"{args.seed_tasks}: no valid seed tasks")
    config = CoderGenerateConfig(n=args.n, seed=args.seed, pairs=args.pairs, max_attempts=args.max_attempts)
    report = generate_coder_tasks(config, coder, seed_tasks, JsonFolderWriter(out))
    out.mkdir(parents=True, exist_ok=True)
    (out / "stats.json").write_text(json.dumps(report.to_json(), indent=2))
    dropped = ", ".join(f"{k}: {v}" for k, v in report.dropped.most_common()) or "none"
    print(f"generated {report.generated} tasks in {report.attempts} attempts -> {out}/{CATEGORY}/")
    print(f"dropped: {dropped}; tokens {report.usage['total_tokens']}, cost ${report.usage['cost_usd']:.4f}")
    return 0
