"""`synth generate simple|programs`: write synthetic task sets.

`simple` writes the simple-ARC family to `OUT/<transform>/<id>.json`. `programs` samples typed DSL
programs, keeps the tasks the DFS search identifies from their train pairs, and writes ARC JSON files
(`OUT/depth_<d>/<id>.json`) or gzipped JSONL shards, plus `OUT/_stats.json` with the drop counts
(not a task file: loaders skip names starting with `_`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from synth.errors import UserError

if TYPE_CHECKING:
    from synth.generate import GenerateReport

MAX_DEPTH = 5
STATS_FILE = "_stats.json"  # a leading "_": not a task (dsl.task.is_task_file)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)

    simple = kinds.add_parser("simple", help="sparse one-colour grids under a symmetry or a translation")
    simple.add_argument("--per-transform", type=int, default=100, help="tasks per transform (default 100)")
    _common(simple)

    programs = kinds.add_parser("programs", help="tasks from random typed programs, checked by DFS search")
    programs.add_argument("--n", type=int, default=1000, help="tasks to keep (default 1000)")
    programs.add_argument(
        "--depth", type=int, default=3, help=f"largest program depth, 1-{MAX_DEPTH} (default 3)"
    )
    programs.add_argument(
        "--format", choices=("json", "jsonl"), default="json", help="ARC JSON files or shards"
    )
    programs.add_argument("--shard-size", type=int, default=1000, help="tasks per JSONL shard (default 1000)")
    programs.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    programs.add_argument("--nodes", type=int, default=100, help="search node budget per check (default 100)")
    programs.add_argument(
        "--vocabulary",
        choices=("program", "full"),
        default="program",
        help="primitives the check searches: the program's own plus the symmetries (fast), or all (strict)",
    )
    programs.add_argument("--max-side", type=int, default=12, help="largest input side (default 12)")
    _common(programs)

    from synth.commands.generate_coder import add_coder_arguments

    add_coder_arguments(kinds)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="random seed; same seed, same tasks (default 0)")
    parser.add_argument("--out", required=True, help="output folder")


def run(args: argparse.Namespace) -> int:
    out = _output_folder(args.out)
    if args.kind == "coder":
        from synth.commands.generate_coder import run_coder_command

        return run_coder_command(args, out)
    if args.kind == "simple":
        return _run_simple(args, out)
    return _run_programs(args, out)


def _output_folder(text: str) -> Path:
    out = Path(text)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    return out


def _run_simple(args: argparse.Namespace, out: Path) -> int:
    from synth.generate import JsonFolderWriter, generate_simple_tasks

    if args.per_transform < 1:
        raise UserError(f"--per-transform must be at least 1, got {args.per_transform}")
    write = JsonFolderWriter(out)
    count = 0
    for task in generate_simple_tasks(args.per_transform, args.seed):
        write(task)
        count += 1
    print(f"wrote {count} tasks to {out}/<transform>/ ({args.per_transform} per transform)")
    return 0


def _run_programs(args: argparse.Namespace, out: Path) -> int:
    from dsl.generators import DraftConfig
    from synth.generate import GenerateConfig, JsonFolderWriter, JsonlShardWriter, generate_program_tasks

    if args.n < 1:
        raise UserError(f"--n must be at least 1, got {args.n}")
    if not 1 <= args.depth <= MAX_DEPTH:
        raise UserError(f"--depth must be 1-{MAX_DEPTH}, got {args.depth}")
    if args.jobs < 1 or args.nodes < 1 or args.shard_size < 1:
        raise UserError("--jobs, --nodes and --shard-size must be at least 1")
    if not 3 <= args.max_side <= 30:
        raise UserError(f"--max-side must be 3-30, got {args.max_side}")
    config = GenerateConfig(
        n=args.n,
        max_depth=args.depth,
        seed=args.seed,
        jobs=args.jobs,
        nodes=args.nodes,
        vocabulary=args.vocabulary,
        draft=DraftConfig(max_side=args.max_side),
    )
    write = JsonlShardWriter(out, args.shard_size) if args.format == "jsonl" else JsonFolderWriter(out)

    def progress(report: GenerateReport) -> None:
        print(f"  {report.generated}/{args.n} kept after {report.attempts} attempts", file=sys.stderr)

    try:
        report = generate_program_tasks(config, write, progress=progress)
    finally:
        write.close()
    out.mkdir(parents=True, exist_ok=True)
    # one JSON line, named so that loaders of `*.json` task folders (the bench) do not read it as a task
    (out / STATS_FILE).write_text(json.dumps({"config": _vars_of(args), **report.to_json()}) + "\n")
    print_report(report, out)
    return 0


def _vars_of(args: argparse.Namespace) -> dict[str, object]:
    return {k: v for k, v in vars(args).items() if not k.startswith("_")}


def print_report(report: GenerateReport, out: Path) -> None:
    print(
        f"generated {report.generated} tasks in {report.attempts} attempts, {report.seconds:.1f} s "
        f"({report.tasks_per_second:.1f} tasks/s) -> {out}"
    )
    depths = ", ".join(f"depth {d}: {c}" for d, c in sorted(report.by_depth.items()))
    print(f"kept by depth: {depths or 'none'}; {report.extra_train} needed extra train pairs")
    dropped = sum(report.dropped.values())
    print(
        f"dropped {dropped}:"
        + "".join(f"\n  {reason:<18} {count}" for reason, count in report.dropped.most_common())
    )
