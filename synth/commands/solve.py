"""`synth solve TASK.json`: run one solver on one task file and show the programs and predicted grids.

Test outputs in the file are hidden from the solver (`run_solver`) and used only to say whether each
attempt is right. Exit 0 when the solver ran, solved or not.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from dsl.grid import grid_to_list, grids_equal
from dsl.task import Task, load_task
from synth.commands.solver_args import (
    add_budget_arguments,
    add_option_argument,
    budget_from_args,
    solver_options,
)
from synth.errors import UserError
from synth.scoring import correct_per_test, task_score
from synth.solver import Solution, available_solvers, make_solver, run_solver

SOLVER_ENV = "SYNTH_SOLVER"
MAX_PROGRAMS_SHOWN = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("task", metavar="TASK.json", help="an ARC task file")
    parser.add_argument(
        "--solver",
        default=os.environ.get(SOLVER_ENV, "search"),
        help=f"one of {', '.join(available_solvers())} (default: ${SOLVER_ENV} or 'search')",
    )
    add_budget_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of coloured grids")
    add_option_argument(parser)


def run(args: argparse.Namespace) -> int:
    task = read_task_file(args.task)
    solver = make_solver(args.solver, **solver_options(args.option, [args.solver])[args.solver])
    solution, seconds = run_solver(solver, task, budget_from_args(args))
    correct = correct_per_test(task, solution.attempts)
    if args.json:
        print(json.dumps(result_json(args, task, solution, correct, seconds), default=_to_json))
    else:
        print_result(args, task, solution, correct, seconds)
    return 0


def read_task_file(path_text: str) -> Task:
    """Load one task file; a missing path or a folder is the user's error."""
    path = Path(path_text)
    if path.is_dir():
        raise UserError(f"{path}: is a folder, expected one task file")
    if not path.exists():
        raise UserError(f"{path}: no such file")
    return load_task(path)


def result_json(
    args: argparse.Namespace, task: Task, solution: Solution, correct: list[bool] | None, seconds: float
) -> dict[str, Any]:
    """The --json object: attempts as lists of grids per test input, `correct` null when unknown."""
    return {
        "task": task.id,
        "path": args.task,
        "solver": args.solver,
        "budget": {"seconds": args.budget, "nodes": args.nodes},
        "attempts": [[grid_to_list(g) for g in attempts] for attempts in solution.attempts],
        "programs": list(solution.programs),
        "correct": correct,
        "score": task_score(correct),
        "seconds": round(seconds, 3),
        "stats": solution.stats,
    }


def print_result(
    args: argparse.Namespace, task: Task, solution: Solution, correct: list[bool] | None, seconds: float
) -> None:
    """Programs best first, then per test input the input, the attempts and (when wrong) the expected grid."""
    from synth.terminal import make_console, print_grids

    console = make_console()
    console.print(f"[bold]{task.id}[/bold] ({args.task}): solver {args.solver}, {seconds:.2f} s")
    programs = list(solution.programs)
    if programs:
        console.print(f"{len(programs)} program(s) found, best first:")
        for i, text in enumerate(programs[:MAX_PROGRAMS_SHOWN], 1):
            console.print(f"  {i}. {text}", markup=False)
        if len(programs) > MAX_PROGRAMS_SHOWN:
            console.print(f"  ... and {len(programs) - MAX_PROGRAMS_SHOWN} more (--json lists them all)")
    else:
        console.print("no program found")

    n_tests = len(task.test)
    for i, pair in enumerate(task.test):
        attempts = solution.attempts[i]
        grids, titles = [pair.input], ["input"]
        for k, grid in enumerate(attempts, 1):
            verdict = "" if correct is None else _verdict(grid, pair.output)
            grids.append(grid)
            titles.append(f"attempt {k}{verdict}")
        if correct is not None and not correct[i]:
            grids.append(pair.output)
            titles.append("expected")
        status = "" if correct is None else (": solved" if correct[i] else ": not solved")
        console.print(f"\ntest {i + 1} of {n_tests}{status}" + ("" if attempts else " (no attempt)"))
        print_grids(console, grids, titles)

    console.print()
    if correct is None:
        console.print("the task file has no test outputs: attempts not checked")
    else:
        console.print(f"solved {sum(correct)} of {n_tests} test input(s)")


def _verdict(grid: np.ndarray, expected: np.ndarray) -> str:
    return " (right)" if grids_equal(grid, expected) else " (wrong)"


def _to_json(value: Any) -> Any:
    """JSON for numpy values a solver may leave in its stats; anything else as its text."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return str(value)
