"""`synth bench SOURCE...`: every solver against every task, resumable; see `synth.bench`.
`synth bench compare RUN_A RUN_B`: what changed between two runs (`synth.commands.bench_compare`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from synth.commands.bench_compare import add_compare_arguments, is_compare, run_compare
from synth.commands.solver_args import (
    add_budget_arguments,
    add_option_argument,
    positive_float,
    positive_int,
    solver_options,
)

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="dataset name (arc1/training, arc1/evaluation, arc2/...), folder or task file",
    )
    parser.add_argument("--solvers", default="search", help="comma-separated solver names (default: search)")
    add_budget_arguments(parser)
    parser.add_argument(
        "--jobs", type=positive_int, default=1, metavar="N", help="worker processes run at once"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="run folder; rerunning on the same folder resumes (default: runs/bench-TIMESTAMP)",
    )
    parser.add_argument(
        "--limit", type=positive_int, default=None, metavar="N", help="a seeded sample of N tasks"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the --limit sample (default 0)")
    parser.add_argument("--executor", choices=("local", "dask"), default="local")
    parser.add_argument(
        "--scheduler",
        default=os.environ.get(SCHEDULER_ENV),
        metavar="ADDRESS",
        help=f"dask scheduler, e.g. tcp://host:8786 (default: ${SCHEDULER_ENV})",
    )
    parser.add_argument(
        "--memory-mb",
        type=positive_int,
        default=4096,
        metavar="MB",
        help="address-space limit of each worker process (default 4096)",
    )
    parser.add_argument(
        "--grace",
        type=positive_float,
        default=5.0,
        metavar="SECONDS",
        help="a worker is killed at budget + grace seconds (default 5)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no live progress bar")
    add_option_argument(parser)
    parser.add_argument(
        "--retry-errors",
        action="store_true",
        help="on resume, run rows that ended in error or timeout again (the new row wins)",
    )
    add_compare_arguments(parser)


def run(args: argparse.Namespace) -> int:
    if is_compare(args):
        return run_compare(args, add_arguments)
    from synth.bench.config import BenchConfig
    from synth.bench.runner import print_summary, run_bench
    from synth.ensemble_run import bench_jobs_env

    solvers = tuple(s.strip() for s in args.solvers.split(",") if s.strip())
    config = BenchConfig(
        sources=tuple(args.sources),
        solvers=solvers,
        solver_options=solver_options(args.option, list(solvers)),
        budget_seconds=args.budget,
        budget_nodes=args.nodes,
        jobs=args.jobs,
        out=args.out,
        limit=args.limit,
        seed=args.seed,
        executor=args.executor,
        scheduler=args.scheduler,
        memory_mb=args.memory_mb,
        grace_seconds=args.grace,
        progress=not args.no_progress,
        retry_errors=args.retry_errors,
    )
    with bench_jobs_env(args.jobs):  # an ensemble worker sizes its own parallelism by it
        print_summary(run_bench(config))
    return 0
