"""The `--budget` and `--nodes` flags, shared by every command that runs a solver."""

from __future__ import annotations

import argparse

from synth.solver import Budget

DEFAULT_SECONDS = 10.0


def positive_float(text: str) -> float:
    """argparse type: a number above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number above 0")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be above 0")
    return value


def add_budget_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --budget SECONDS and --nodes N."""
    parser.add_argument(
        "--budget",
        type=positive_float,
        default=DEFAULT_SECONDS,
        metavar="SECONDS",
        help=f"wall-clock seconds per task (default {DEFAULT_SECONDS:g})",
    )
    parser.add_argument(
        "--nodes",
        type=positive_int,
        default=None,
        metavar="N",
        help="node budget for solvers that count nodes; makes a search run deterministic",
    )


def budget_from_args(args: argparse.Namespace) -> Budget:
    return Budget(seconds=args.budget, nodes=args.nodes)
