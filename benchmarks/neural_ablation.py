"""Ablations of the transduction model on simple ARC: short runs of equal length that differ in one
setting each, scored per transform by the `neural` solver, plus accuracy against steps from a run's
held-out curve.

    python benchmarks/neural_ablation.py --data /tmp/simple50 --steps 300 --out runs/ablation
    python benchmarks/neural_ablation.py --curve model/checkpoints/transduction  # curve only

Variants (each changes one thing from `full`): no colour augmentation, no input masking in the loss
(hidden train-output cells are scored too), no 2-D position scheme (row-major 1-D positions, no
frame or shift heads), no shift head. The runs are trained one after another (never two at once) with
the same steps and seed; a finished run folder is reused, so an interrupted table resumes.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import torch
from neural_simple import score_by_category

from model.data import ExampleConfig, load_folder
from model.train import METRICS, TrainConfig, train
from synth.neural import NeuralSolver

FULL = ExampleConfig(mask_input_loss=True, color_aug=True, d8_aug=True)
VARIANTS: dict[str, dict[str, object]] = {
    "full": {},
    "no_color_aug": {"example": replace(FULL, color_aug=False)},
    "no_input_mask": {"example": replace(FULL, mask_input_loss=False)},
    "no_pos2d": {"pos2d": False},
    "no_shift": {"shift": False},
}


def run_variant(name: str, base: TrainConfig, out: Path) -> Path:
    folder = out / name
    cfg = replace(base, out=str(folder), **VARIANTS[name])
    metrics = folder / METRICS
    done = metrics.is_file() and any(
        json.loads(line)["step"] >= (cfg.steps or 0) for line in metrics.read_text().splitlines()
    )
    if not done:
        train(cfg)
    return folder


def curve(run: Path) -> list[dict[str, object]]:
    """Held-out exact match per category at each evaluation of a run (its metrics.jsonl, or the
    training_summary.json beside a bundled checkpoint)."""
    metrics = run / METRICS
    if metrics.is_file():
        records = [json.loads(line) for line in metrics.read_text().splitlines()]
        return [
            {"step": r["step"], "exact": r["eval"]["exact"], **r["eval"].get("exact_by", {})}
            for r in records
            if "eval" in r and "exact" in r["eval"]
        ]
    summary = json.loads((run / "training_summary.json").read_text())
    return [{k: v for k, v in e.items() if k != "cell_acc"} for e in summary["eval"]]


def markdown(rows: dict[str, dict[str, dict[str, float]]]) -> str:
    categories = sorted({c for r in rows.values() for c in r if c != "all"}) + ["all"]
    lines = ["| variant | " + " | ".join(categories) + " |", "|---" * (len(categories) + 1) + "|"]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{row[c]['pass@2']:.2f}" for c in categories) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", help="folder of tasks to score on (e.g. synth generate simple ... --seed 7)"
    )
    parser.add_argument("--out", default="runs/ablation")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--steps", type=int, default=300, help="training steps per variant (equal for all)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--preset", default="nano")
    parser.add_argument("--views", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--curve", metavar="RUN", help="also print the held-out curve of this run folder")
    args = parser.parse_args()
    if args.curve:
        for point in curve(Path(args.curve)):
            print(json.dumps(point))
    if not args.data:
        return
    torch.set_num_threads(args.threads)
    unknown = [v for v in args.variants.split(",") if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)} (known: {', '.join(VARIANTS)})")
    base = TrainConfig(
        preset=args.preset,
        steps=args.steps,
        batch_size=args.batch_size,
        warmup=max(1, min(100, args.steps // 10)),
        example=FULL,
        seed=args.seed,
        threads=args.threads,
        eval_every=max(1, args.steps // 4),
        checkpoint_every=args.steps,
    )
    tasks = load_folder(args.data)
    rows: dict[str, dict[str, dict[str, float]]] = {}
    for name in args.variants.split(","):
        folder = run_variant(name, base, Path(args.out))
        rows[name] = score_by_category(NeuralSolver(checkpoint=folder, views=args.views), tasks)
        print(json.dumps({"variant": name, **rows[name]}), flush=True)
    print(markdown(rows))


if __name__ == "__main__":
    main()
