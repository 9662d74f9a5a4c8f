"""Run one job in a fresh worker process and enforce its budget from outside.

Workers are forked from a warm forkserver that has already imported the worker and the solvers'
modules, so a job costs a fork, not an interpreter start and a second of imports. Where a process
may not have children of its own (a daemonic Dask worker process) the worker is a plain subprocess,
`python -m synth.bench.worker`, instead. Either way it runs in its own process group; the parent
waits `job.timeout` seconds, then SIGKILLs the group: `timeout`. A worker that ends without a result
file crashed: `error`, with the signal or exit code and its last words.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Protocol

from synth.bench.jobs import Job, Outcome

# One thread per CPU-heavy library is plenty when N workers share the machine.
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
TAIL_CHARS = 300


class Cancelled(RuntimeError):
    """The bench is shutting down; in-flight workers were killed."""


class WorkerProcess(Protocol):
    pid: int

    def finished_within(self, seconds: float) -> bool: ...

    def returncode(self) -> int: ...


class ForkedWorker:
    """A child of the warm forkserver running `synth.bench.worker.child_main`."""

    def __init__(self, context: multiprocessing.context.BaseContext, job_path: Path, result_path: Path,
                 log_path: Path) -> None:  # fmt: skip
        from synth.bench.worker import child_main

        args = (str(job_path), str(result_path), str(log_path), os.getpid(), dict(os.environ))
        self.process = context.Process(target=child_main, args=args)
        self.process.start()
        self.pid = self.process.pid

    def finished_within(self, seconds: float) -> bool:
        self.process.join(seconds)
        return self.process.exitcode is not None

    def returncode(self) -> int:
        self.process.join()
        return self.process.exitcode


class SubprocessWorker:
    """`python -m synth.bench.worker JOB RESULT` in a new session."""

    def __init__(self, job_path: Path, result_path: Path, log_path: Path) -> None:
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "synth.bench.worker", str(job_path), str(result_path)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env={**SINGLE_THREAD_ENV, **os.environ}, start_new_session=True,
            )  # fmt: skip
        self.pid = self.process.pid

    def finished_within(self, seconds: float) -> bool:
        try:
            self.process.wait(seconds)
            return True
        except subprocess.TimeoutExpired:
            return False

    def returncode(self) -> int:
        return self.process.wait()


def kill(worker: WorkerProcess) -> None:
    """SIGKILL the worker's process group (the solver and anything it started), then the worker."""
    for send in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            send(worker.pid, signal.SIGKILL)


def can_fork_workers() -> bool:
    return (
        "forkserver" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


class WorkerPool:
    """Starts, times and kills workers; tracks live ones so an interrupted bench can kill them all.
    Shared by the executor's threads. `preload` names modules the forkserver imports once."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self._live: set[WorkerProcess] = set()
        self._lock = threading.Lock()
        self.cancelled = False
        self.context = None
        if can_fork_workers():
            for name, value in SINGLE_THREAD_ENV.items():  # the forkserver inherits this environment
                os.environ.setdefault(name, value)
            self.context = multiprocessing.get_context("forkserver")
            self.context.set_forkserver_preload(["synth.bench.worker", *preload])

    def kill_all(self) -> None:
        with self._lock:
            self.cancelled = True
            for worker in self._live:
                kill(worker)

    def _start(self, job_path: Path, result_path: Path, log_path: Path) -> WorkerProcess:
        if self.context is not None:
            return ForkedWorker(self.context, job_path, result_path, log_path)
        return SubprocessWorker(job_path, result_path, log_path)

    def run(self, job: Job) -> Outcome:
        """Run the job in a worker; `timeout` after job.timeout seconds, `error` if it dies."""
        with tempfile.TemporaryDirectory(prefix="synth-bench-") as tmp:
            job_path, result_path, log_path = (
                Path(tmp) / n for n in ("job.json", "result.json", "worker.log")
            )
            job_path.write_text(job.to_json())
            with self._lock:
                if self.cancelled:
                    raise Cancelled("bench cancelled")
                worker = self._start(job_path, result_path, log_path)  # the first waits for the preload
                self._live.add(worker)
            start = time.monotonic()
            try:
                timed_out = not worker.finished_within(job.timeout)
                if timed_out:
                    kill(worker)
                returncode = worker.returncode()
            except BaseException:
                kill(worker)
                raise
            finally:
                with self._lock:
                    self._live.discard(worker)
            elapsed = time.monotonic() - start
            if self.cancelled:
                raise Cancelled("bench cancelled")
            if timed_out:
                error = f"killed after {job.timeout:g} s (budget {job.budget_seconds:g} s + grace)"
                return Outcome("timeout", seconds=elapsed, error=error)
            if result_path.exists():
                return Outcome.from_json(result_path.read_text())
            return Outcome("error", seconds=elapsed, error=_death_message(returncode, job, log_path))


def _death_message(returncode: int, job: Job, log_path: Path) -> str:
    tail = log_path.read_text(errors="replace").strip().splitlines() if log_path.exists() else []
    last = tail[-1][-TAIL_CHARS:] if tail else ""
    if returncode < 0:
        name = signal.Signals(-returncode).name
        cause = f"worker killed by {name}"
        if name == "SIGKILL":
            cause += f" (out of memory? limit {job.memory_mb} MB)"
    else:
        cause = f"worker exited with code {returncode} and no result"
    return f"{cause}: {last}" if last else cause


_default_pool: WorkerPool | None = None


def run_isolated(job: Job) -> Outcome:
    """The function Dask ships to its workers (a module-level name, so it travels by reference)."""
    global _default_pool
    if _default_pool is None:
        _default_pool = WorkerPool()
    return _default_pool.run(job)
