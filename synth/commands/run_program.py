"""`synth run-program PROGRAM.py TASK.json`: run a user's `transform(grid)` in the sandbox on every
pair of a task and print one verdict per pair (right, wrong, or why it did not run).

Exit 0 when the program ran (right or wrong); 2 for a missing or unreadable file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from synth.commands.solver_args import positive_float, positive_int
from synth.errors import UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("program", metavar="PROGRAM.py", help="a Python file defining transform(grid)")
    parser.add_argument("task", metavar="TASK.json", help="an ARC task file")
    parser.add_argument(
        "--timeout",
        type=positive_float,
        default=2.0,
        metavar="SECONDS",
        help="wall-clock limit per grid (default 2)",
    )
    parser.add_argument(
        "--memory",
        type=positive_int,
        default=512,
        metavar="MB",
        help="address-space limit of the sandbox worker (default 512)",
    )


def run(args: argparse.Namespace) -> int:
    from dsl.grid import grids_equal
    from dsl.task import load_task
    from synth.sandbox import run_program

    path = Path(args.program)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: cannot read file ({e.__class__.__name__})") from None
    task = load_task(args.task)
    pairs = [("train", i, p) for i, p in enumerate(task.train)] + [
        ("test", i, p) for i, p in enumerate(task.test)
    ]
    results = run_program(
        source, [p.input for _, _, p in pairs], timeout_s=args.timeout, memory_mb=args.memory
    )
    right = 0
    for (split, i, pair), result in zip(pairs, results, strict=True):
        if result.status != "ok":
            verdict = f"{result.status}: {result.message}"
        elif pair.output is None:
            verdict = f"ran (output {result.output.shape[0]}x{result.output.shape[1]}, no expected output)"
        elif grids_equal(result.output, pair.output):
            verdict, right = "right", right + 1
        else:
            verdict = _wrong(result.output, pair.output)
        print(f"{split} {i}: {verdict}")
    checked = sum(p.output is not None for _, _, p in pairs)
    print(f"{right} of {checked} pairs right")
    return 0


def _wrong(got: object, expected: object) -> str:
    if got.shape != expected.shape:  # type: ignore[attr-defined]
        return (
            f"wrong (shape {got.shape[0]}x{got.shape[1]}, expected {expected.shape[0]}x{expected.shape[1]})"  # type: ignore[attr-defined]
        )
    cells = int((got != expected).sum())  # type: ignore[operator]
    return f"wrong ({cells} cells differ)"
