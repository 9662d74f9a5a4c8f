"""`synth show TASK.json [--solution FILE] [--out FILE.svg|.png]`: one task as a picture, or in the
terminal when no --out is given. A solution (the JSON of `synth solve --json`, or an ARC Prize
submission holding the task) adds its attempts next to each test pair."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dsl.grid import Grid, GridError, grids_equal, make_grid
from dsl.task import Task
from synth.errors import UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("task", metavar="TASK.json", help="an ARC task file")
    parser.add_argument(
        "--solution",
        type=Path,
        default=None,
        metavar="FILE",
        help="attempts to show: `synth solve --json` output or a submission.json",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help="write a picture (.svg or .png) instead of printing to the terminal",
    )


def run(args: argparse.Namespace) -> int:
    from synth.commands.solve import read_task_file

    task = read_task_file(args.task)
    attempts = read_attempts(args.solution, task) if args.solution else None
    if args.out:
        from synth.render import save_task_picture

        path = save_task_picture(task, args.out, attempts)
        print(f"wrote {path}")
    else:
        print_task(task, attempts)
    return 0


def read_attempts(path: Path, task: Task) -> list[list[Grid]]:
    """Attempts per test input from `synth solve --json` output or an ARC Prize submission."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise UserError(f"{path}: cannot read ({e.strerror})") from None
    except ValueError as e:
        raise UserError(f"{path}: not valid JSON ({e})") from None
    if isinstance(data, dict) and isinstance(data.get("attempts"), list):
        raw = data["attempts"]
    elif isinstance(data, dict) and task.id in data and isinstance(data[task.id], list):
        raw = [
            [d[k] for k in ("attempt_1", "attempt_2") if k in d] for d in data[task.id] if isinstance(d, dict)
        ]
    else:
        raise UserError(f"{path}: no 'attempts' list and no entry for task {task.id!r}")
    try:
        return [[make_grid(g) for g in per_test] for per_test in raw]
    except (GridError, TypeError) as e:
        raise UserError(f"{path}: an attempt is not a valid grid ({e})") from None


def print_task(task: Task, attempts: list[list[Grid]] | None) -> None:
    from synth.terminal import make_console, print_grids

    console = make_console()
    console.print(f"[bold]{task.id}[/bold] {task.category}".rstrip())
    for i, p in enumerate(task.train):
        print_grids(console, [p.input, p.output], [f"train {i + 1} input", "output"])
    for i, p in enumerate(task.test):
        grids: list[Grid | None] = [p.input, p.output]
        titles = [f"test {i + 1} input", "expected" if p.output is not None else "expected (unknown)"]
        for j, g in enumerate(attempts[i] if attempts and i < len(attempts) else []):
            mark = "" if p.output is None else (" right" if grids_equal(g, p.output) else " wrong")
            grids.append(g)
            titles.append(f"attempt {j + 1}{mark}")
        print_grids(console, grids, titles)
