"""`synth`: the command line. Each subcommand lives in `synth/commands/<name>.py` with
`add_arguments(parser)` and `run(args) -> int`, imported only when used so startup stays fast.

Exit codes: 0 ran (solved or not), 1 internal failure, 2 bad input (one-line message, no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from importlib import metadata

from dsl.program import ProgramError
from dsl.task import TaskError
from synth.errors import UserError
from synth.solver import SolverUnavailable

# subcommand -> (module under synth.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "solve": ("solve", "solve one task file and print the programs and predicted grids"),
    "generate": ("generate", "write synthetic task sets (simple ARC, or random programs checked by search)"),
    "bench": ("bench", "score solvers against each other over task sets (resumable; reports and submission)"),
    "show": ("show", "render one task (and optionally a solution) in the terminal or as SVG/PNG"),
    "train": ("train", "train the transformer (transduction or prior head) and write a checkpoint"),
    "run-program": ("run_program", "run a Python transform(grid) in the sandbox on every pair of a task"),
}

USER_ERRORS = (UserError, TaskError, ProgramError, SolverUnavailable)


def package_version() -> str:
    """The installed distribution's version, or 'unknown' when run from a tree that is not installed."""
    try:
        return metadata.version("arc-synth")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synth", description="Solve ARC tasks by search, neural nets and LLMs."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(f"synth.commands.{module_name}")
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on bad flags, 0 on --help
        return int(e.code or 0)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except USER_ERRORS as e:
        print(f"synth {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"synth {args.command}: interrupted", file=sys.stderr)
        return 130
