"""The worker process: forked from the bench's forkserver (`child_main`), or started as
`python -m synth.bench.worker JOB.json RESULT.json` where forking is not allowed.

It limits its own address space, runs one (task, solver) job and writes an `Outcome` to RESULT.json
(renamed into place, so a half-written result never looks finished).
A crash the worker can catch becomes an `error` outcome here; one it cannot (a signal, the OOM
killer, a hang) leaves no result file and the parent classifies it.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from synth.bench.jobs import Job, Outcome


def die_with_parent() -> None:
    """Linux: get SIGKILL when the parent dies, so a killed bench leaves no orphan solvers running."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run_job(job: Job) -> Outcome:
    """Import the solver from its spec, solve with test outputs hidden, return plain-JSON attempts."""
    from dsl.grid import grid_to_list, is_valid_grid
    from dsl.task import parse_task
    from synth.solver import Budget, SolverUnavailable, build_solver, run_solver

    try:
        solver = build_solver(job.solver, job.solver_spec, **job.solver_options)
        task = parse_task(job.task, job.task_id, job.category)
        solution, seconds = run_solver(solver, task, Budget(job.budget_seconds, job.budget_nodes))
    except MemoryError:
        return Outcome(
            "error", error=f"out of memory: over the worker's {job.memory_mb} MB address-space limit"
        )
    except SolverUnavailable as e:
        return Outcome("error", error=f"solver unavailable: {e}")
    except Exception as e:  # the solver's bug: report it as the row's error, one line plus where
        where = traceback.extract_tb(e.__traceback__)[-1]
        return Outcome(
            "error", error=f"{type(e).__name__}: {e} (at {Path(where.filename).name}:{where.lineno})"
        )
    attempts = [[grid_to_list(g) for g in per_test if is_valid_grid(g)] for per_test in solution.attempts]
    invalid = sum(len(a) for a in solution.attempts) - sum(len(a) for a in attempts)
    stats = dict(solution.stats)
    if invalid:
        stats["invalid_attempts"] = invalid
    # the worker or the largest of its finished children (ensemble members, sandbox workers)
    peak_kb = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    peak_mb = round(peak_kb / 1024, 1)
    return Outcome(
        "ok",
        attempts=attempts,
        programs=[str(p) for p in solution.programs],
        stats=stats,
        seconds=seconds,
        peak_rss_mb=peak_mb,
    )


def execute(job_path: str, result_path: str) -> None:
    """Limit memory, run the job, write the outcome (renamed into place: never half a result)."""
    job = Job.from_json(Path(job_path).read_text())
    limit_memory(job.memory_mb)
    sys.path[:0] = [p for p in job.sys_path if p not in sys.path]
    outcome = run_job(job)
    tmp = Path(result_path).with_suffix(".tmp")
    tmp.write_text(outcome.to_json())
    os.replace(tmp, result_path)


def die_with_bench(bench_pid: int, every: float = 0.5) -> None:
    """A forked worker's parent is the forkserver, which outlives a `kill -9`ed bench while its
    children hold it open: watch the bench itself and take the whole process group down with it."""

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(bench_pid, 0)
            except ProcessLookupError:
                os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="die-with-bench", daemon=True).start()


def child_main(job_path: str, result_path: str, log_path: str, bench_pid: int, env: dict[str, str]) -> None:
    """Entry point of a worker forked from the forkserver: own process group, output to the log.
    `env` is the bench's environment now: the forkserver's is a snapshot from when it started."""
    os.environ.clear()
    os.environ.update(env)
    os.setpgrp()
    die_with_parent()
    die_with_bench(bench_pid)
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    execute(job_path, result_path)


def main(argv: list[str]) -> int:
    """`python -m synth.bench.worker JOB.json RESULT.json` (the subprocess fallback)."""
    die_with_parent()
    execute(argv[0], argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
