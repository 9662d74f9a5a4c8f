"""`synth bench compare RUN_A RUN_B [--json | --markdown]`, wired into `synth bench`: the bench's
first positional word `compare` selects it (a folder named `compare` is still `./compare`)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from synth.errors import UserError

COMPARE = "compare"
COMPARE_ONLY = ("json", "markdown")


def add_compare_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "synth bench compare RUN_A RUN_B [--json | --markdown]: what changed between two --out "
        "folders, per solver (tasks gained and lost, score, solved and time deltas)"
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="compare: one JSON object instead of a table")
    group.add_argument("--markdown", action="store_true", help="compare: Markdown tables, for docs")


def is_compare(args: argparse.Namespace) -> bool:
    """`compare` as the first SOURCE selects the comparison; its flags anywhere else are an error."""
    if args.sources[0] == COMPARE:
        return True
    if args.json or args.markdown:
        raise UserError("--json and --markdown belong to `synth bench compare RUN_A RUN_B`")
    return False


def run_compare(
    args: argparse.Namespace, add_bench_arguments: Callable[[argparse.ArgumentParser], None]
) -> int:
    from synth.bench.compare import compare_runs, load_run, print_table, to_markdown

    runs = args.sources[1:]
    if len(runs) != 2:
        raise UserError(f"synth bench compare takes two run folders (RUN_A RUN_B), got {len(runs)}")
    _refuse_bench_flags(args, add_bench_arguments)
    comparison = compare_runs(load_run(Path(runs[0])), load_run(Path(runs[1])))
    if args.json:
        print(json.dumps(comparison, indent=2))
    elif args.markdown:
        print(to_markdown(comparison), end="")
    else:
        print_table(comparison)
    return 0


def _refuse_bench_flags(
    args: argparse.Namespace, add_bench_arguments: Callable[[argparse.ArgumentParser], None]
) -> None:
    """A bench flag given to compare would be silently ignored: say so instead."""
    defaults = argparse.ArgumentParser(add_help=False)
    add_bench_arguments(defaults)
    expected = vars(defaults.parse_args(["x"]))
    for name, default in expected.items():
        if name not in ("sources", *COMPARE_ONLY) and getattr(args, name, default) != default:
            flag = "--" + name.replace("_", "-")
            raise UserError(f"{flag} is a flag of `synth bench SOURCE...`, not of `synth bench compare`")
