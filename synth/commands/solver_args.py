"""Flags shared by every command that runs a solver: `--budget`, `--nodes` and `--option`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from synth.errors import UserError
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


def add_option_argument(parser: argparse.ArgumentParser) -> None:
    """Add repeatable `-o/--option [SOLVER.]KEY=VALUE`, passed to the solver's constructor."""
    parser.add_argument(
        "-o",
        "--option",
        action="append",
        default=[],
        metavar="[SOLVER.]KEY=VALUE",
        help="a solver setting, e.g. coder.model=gpt-4o-mini or search.max_depth=6 (repeatable; "
        "VALUE is read as JSON when it parses, else as text; no SOLVER. prefix = every solver)",
    )


def solver_options(texts: list[str], solvers: list[str]) -> dict[str, dict[str, Any]]:
    """Per-solver keyword options from `--option` texts; an unknown solver prefix is a UserError."""
    options: dict[str, dict[str, Any]] = {name: {} for name in solvers}
    for text in texts:
        target, eq, value = text.partition("=")
        if not eq or not target:
            raise UserError(f"--option {text!r}: expected [SOLVER.]KEY=VALUE")
        prefix, dot, key = target.rpartition(".")
        names = [prefix] if dot else solvers
        if dot and prefix not in options:
            raise UserError(f"--option {text!r}: solver {prefix!r} is not among {', '.join(solvers)}")
        for name in names:
            options[name][key] = _option_value(value)
    return options


def _option_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text
