"""`synth train --head transduction|prior`: train the transformer and write a self-contained checkpoint.

The output folder holds `model.safetensors` + `config.json` (what the `neural` solver loads),
`metrics.jsonl` (loss every few steps, held-out evaluation periodically) and `resume/` (optimizer
state); running the same command again resumes from the last checkpoint. Without `--data`, simple-ARC
tasks are generated on the fly and the held-out set comes from a seed stream training never sees.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from synth.commands.solver_args import positive_float, positive_int
from synth.errors import UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--head", choices=("transduction", "prior"), default="transduction")
    parser.add_argument("--preset", choices=("nano", "small", "prior"), default="nano", help="model size")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=positive_float, default=1.0, help="passes over the data (default 1)")
    length.add_argument("--steps", type=positive_int, help="optimizer steps (overrides --epochs)")
    parser.add_argument(
        "--minutes",
        type=positive_float,
        help="wall-clock limit: stop after this many minutes, the learning rate decaying by time",
    )
    parser.add_argument(
        "--epoch-size",
        type=positive_int,
        default=2000,
        help="tasks per epoch when generating on the fly (default 2000)",
    )
    parser.add_argument("--batch-size", type=positive_int, default=16)
    parser.add_argument("--lr", type=positive_float, default=1e-3)
    parser.add_argument("--warmup", type=int, default=100, help="linear warm-up steps (default 100)")
    parser.add_argument(
        "--data", metavar="DIR", help="train on the tasks in DIR (default: generate simple-ARC)"
    )
    parser.add_argument(
        "--transforms", default=None, help="comma-separated simple transforms to generate (default: all)"
    )
    parser.add_argument(
        "--mask-input-loss",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="score only the test output (default); --no-mask-input-loss also scores "
        "hidden train-output cells",
    )
    parser.add_argument("--color-aug", action="store_true", help="random colour permutations (0 kept)")
    parser.add_argument("--d8-aug", action="store_true", help="random rotations and reflections")
    parser.add_argument(
        "--pos2d",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="2-D position features (default); --no-pos2d uses row-major 1-D positions",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/train", help="checkpoint folder (default runs/train)")
    parser.add_argument("--threads", type=positive_int, help="torch CPU threads (default: torch's choice)")
    parser.add_argument(
        "--init-from",
        metavar="DIR",
        help="start from the matching weights of this checkpoint (e.g. a prior from the transduction "
        "model); ignored when resuming",
    )
    parser.add_argument(
        "--prior-pairs",
        type=int,
        default=3,
        help="the prior head compares up to this many train pairs (default 3); 0: mean-pooled head",
    )
    parser.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda")
    parser.add_argument(
        "--eval-every", type=positive_int, default=100, help="steps between held-out evaluations"
    )
    parser.add_argument("--eval-tasks", type=positive_int, default=64, help="held-out tasks (default 64)")
    parser.add_argument("--checkpoint-every", type=positive_int, default=200)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def config_from_args(args: argparse.Namespace) -> Any:
    from model.data import ExampleConfig
    from model.train import TrainConfig

    if args.data is not None and not Path(args.data).is_dir():
        raise UserError(f"{args.data}: not a folder of tasks")
    fields: dict[str, Any] = {}
    if args.transforms:
        from dsl.generators.simple import SIMPLE_TRANSFORMS

        names = tuple(t.strip() for t in args.transforms.split(",") if t.strip())
        unknown = [t for t in names if t not in SIMPLE_TRANSFORMS]
        if unknown or not names:
            raise UserError(
                f"--transforms: unknown {', '.join(unknown) or '(none given)'} "
                f"(known: {', '.join(SIMPLE_TRANSFORMS)})"
            )
        fields["transforms"] = names
    if args.prior_pairs < 0:
        raise UserError(f"--prior-pairs: must be 0 or more, got {args.prior_pairs}")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    return TrainConfig(
        head=args.head,
        preset=args.preset,
        pos2d=args.pos2d,
        steps=args.steps,
        minutes=args.minutes,
        epochs=args.epochs,
        epoch_size=args.epoch_size,
        batch_size=args.batch_size,
        lr=args.lr,
        warmup=args.warmup,
        data=args.data,
        seed=args.seed,
        out=str(out),
        threads=args.threads,
        init_from=args.init_from,
        prior_pairs=args.prior_pairs,
        device=args.device,
        eval_every=args.eval_every,
        eval_tasks=args.eval_tasks,
        checkpoint_every=args.checkpoint_every,
        example=ExampleConfig(
            mask_input_loss=args.mask_input_loss, color_aug=args.color_aug, d8_aug=args.d8_aug
        ),
        **fields,
    )


def run(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from model.checkpoint import CheckpointError
    from model.train import train

    cfg = config_from_args(args)
    columns = (
        TextColumn("train"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, disable=args.no_progress, transient=False) as progress:
        bar = progress.add_task("", total=None)

        def report(step: int, total: int, record: dict[str, Any]) -> None:
            text = f"loss {record['loss']:.3f}"
            if "eval" in record:
                ev = record["eval"]
                text += (
                    f"  held-out exact {ev['exact']:.2f}"
                    if "exact" in ev
                    else f"  held-out recall@k {ev.get('recall_at_k', 0):.2f}"
                )
            progress.update(bar, completed=step, total=total, description=text)

        try:
            result = train(cfg, report)
        except CheckpointError as e:  # an unreadable checkpoint in --out, which a resume would load
            raise UserError(str(e)) from None
    print(json.dumps({"out": cfg.out, **result}))
    return 0
