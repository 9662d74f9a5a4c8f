"""Running the ensemble's members in forked child processes, `workers` at a time, each killed when
it overruns its budget, so a slow, crashing or hanging member costs only its own answer; or, where
a process may not fork, one after another in this process.

Members start smallest share first. A member started while others still wait for a slot gets its
share of the time left, so time one member leaves unused goes to the next (with one worker: a
serial schedule); members that all fit in the slots get all the time left (they share the cores,
not the clock). Background members take no slot: they start at once with the whole budget at the
lowest CPU priority, so they run on what the others leave idle (a fallback that never slows them).
A forked member runs PyTorch on one thread: the parent's thread pool does not survive a fork (a
child that uses it hangs), and the members already share the cores.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from dsl.task import Task
from synth.solver import Budget, Solution, Solver

BENCH_JOBS_ENV = "SYNTH_BENCH_JOBS"  # set by `synth bench`: how many workers share this machine


@dataclass
class MemberRun:
    name: str
    status: str  # ok | error | timeout
    solution: Solution | None
    seconds: float
    budget_seconds: float
    error: str | None = None


def describe(error: BaseException) -> str:
    """One line: the exception and where it was raised."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def solve_member(name: str, solver: Solver, task: Task, budget: Budget) -> MemberRun:
    """Run one member here; its exceptions become an `error` run."""
    start = time.monotonic()
    try:
        solution = solver.solve(task, budget)
    except Exception as e:  # a member's bug must not sink the ensemble
        return MemberRun(name, "error", None, time.monotonic() - start, budget.seconds, describe(e))
    return MemberRun(name, "ok", solution, time.monotonic() - start, budget.seconds)


def run_serial(
    members: Mapping[str, Solver], task: Task, budget: Budget, shares: Mapping[str, float]
) -> list[MemberRun]:
    """Members one after another in this process (where it may not fork), smallest share first, each
    with its share of the time left; a member that overruns cannot be stopped. Results in the
    members' order."""
    deadline = budget.deadline()
    queue = sorted(members, key=lambda n: shares[n])  # stable: listed order among equal shares
    runs: dict[str, MemberRun] = {}
    for k, name in enumerate(queue):
        left = max(deadline - time.monotonic(), 0.0)
        still = sum(shares[n] for n in queue[k:])
        seconds = left * shares[name] / still if still > 0 else left / (len(queue) - k)
        runs[name] = solve_member(name, members[name], task, Budget(max(seconds, 1e-3), budget.nodes))
    return [runs[n] for n in members]


def can_fork() -> bool:
    """A daemonic multiprocessing worker may not have children; elsewhere on POSIX, fork."""
    if not hasattr(os, "fork"):
        return False
    return not multiprocessing.current_process().daemon


LOWEST_PRIORITY = 19  # nice increment of background members


def _child(name: str, solver: Solver, task: Task, budget: Budget, conn: Connection, nice: int) -> None:
    if nice:
        os.nice(nice)
    if "torch" in sys.modules:  # the parent's thread pool does not survive a fork: one thread here
        sys.modules["torch"].set_num_threads(1)
    run = solve_member(name, solver, task, budget)
    try:
        conn.send(run)
    except Exception as e:  # an answer that does not pickle
        conn.send(MemberRun(name, "error", None, run.seconds, budget.seconds, describe(e)))
    conn.close()


@dataclass
class _Running:
    name: str
    process: multiprocessing.process.BaseProcess
    conn: Connection
    budget_seconds: float
    started: float


def run_forked(
    members: Mapping[str, Solver],
    task: Task,
    budget: Budget,
    workers: int,
    grace: float,
    shares: Mapping[str, float],
    background: frozenset[str] = frozenset(),
) -> list[MemberRun]:
    """Up to `workers` members at once, each in a forked child, smallest share first. A member
    started while others still wait for a slot gets its share of the time left; otherwise all of
    it. `background` members start at once, take no slot and run at the lowest CPU priority. A child
    still running `grace` seconds past its own budget is killed (`timeout`)."""
    context = multiprocessing.get_context("fork")
    deadline = budget.deadline()
    waiting = sorted(members, key=lambda n: shares[n])  # stable: listed order among equal shares
    running: dict[Connection, _Running] = {}
    runs: dict[str, MemberRun] = {}
    try:
        for name in [n for n in waiting if n in background]:
            waiting.remove(name)
            child = _start_child(context, name, members[name], task, budget, LOWEST_PRIORITY)
            running[child.conn] = child
        while waiting or running:
            in_slots = sum(1 for c in running.values() if c.name not in background)
            while waiting and in_slots < workers:
                left = max(deadline - time.monotonic(), 0.0)
                if len(waiting) + in_slots > workers:  # others still wait: this one gets its share
                    left *= shares[waiting[0]] / (sum(shares[n] for n in waiting) or 1.0)
                name = waiting.pop(0)
                child = _start_child(
                    context, name, members[name], task, Budget(max(left, 1e-3), budget.nodes)
                )
                running[child.conn] = child
                in_slots += 1
            kill_at = min(c.started + c.budget_seconds + grace for c in running.values())
            for conn in wait(list(running), timeout=max(kill_at - time.monotonic(), 0.0)):
                child = running.pop(conn)  # type: ignore[index]
                runs[child.name] = _collect(child)
            now = time.monotonic()
            for conn, child in list(running.items()):
                if now >= child.started + child.budget_seconds + grace:
                    _kill(child)
                    del running[conn]
                    runs[child.name] = MemberRun(
                        child.name, "timeout", None, now - child.started, child.budget_seconds,
                        f"still running {grace:g} s past its budget: killed",
                    )  # fmt: skip
    finally:
        for child in running.values():
            _kill(child)
    return [runs[n] for n in members]


def _start_child(
    context: multiprocessing.context.BaseContext,
    name: str,
    solver: Solver,
    task: Task,
    budget: Budget,
    nice: int = 0,
) -> _Running:
    receive, send = context.Pipe(duplex=False)
    args = (name, solver, task, budget, send, nice)
    process = context.Process(target=_child, args=args, daemon=True)  # type: ignore[attr-defined]
    process.start()
    send.close()
    return _Running(name, process, receive, budget.seconds, time.monotonic())


def _collect(child: _Running) -> MemberRun:
    """The child's answer, or why there is none (it died without sending one)."""
    try:
        run: MemberRun = child.conn.recv()
    except (EOFError, OSError):
        child.process.join(1.0)
        code = child.process.exitcode
        reason = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        run = MemberRun(
            child.name, "error", None, time.monotonic() - child.started, child.budget_seconds,
            f"member process died without an answer ({reason})",
        )  # fmt: skip
    child.conn.close()
    child.process.join(1.0)
    return run


def _kill(child: _Running) -> None:
    if child.process.is_alive():
        child.process.kill()
    child.process.join(1.0)
    child.conn.close()


def default_workers(n_members: int) -> int:
    """Members at once: this process's cores divided among the bench's workers, at most one each."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        jobs = max(int(os.environ.get(BENCH_JOBS_ENV, "1")), 1)
    except ValueError:
        jobs = 1
    return max(1, min(n_members, cores // jobs))


@contextlib.contextmanager
def bench_jobs_env(jobs: int) -> Iterator[None]:
    """Tell the bench's workers (they take its environment) how many of them share the machine."""
    before = os.environ.get(BENCH_JOBS_ENV)
    os.environ[BENCH_JOBS_ENV] = str(jobs)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(BENCH_JOBS_ENV, None)
        else:
            os.environ[BENCH_JOBS_ENV] = before
