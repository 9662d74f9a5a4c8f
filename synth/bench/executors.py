"""Where jobs run: `local` (N threads, each driving one worker process at a time) or `dask` (the
same `run_isolated` shipped to a Dask distributed cluster, which does its own scheduling).

Both yield (job, outcome) pairs as jobs finish, in whatever order they finish.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Protocol

from synth.bench.isolation import WorkerPool, run_isolated
from synth.bench.jobs import Job, Outcome
from synth.errors import UserError


class Executor(Protocol):
    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]: ...

    def close(self) -> None: ...


class LocalExecutor:
    def __init__(self, jobs: int, preload: tuple[str, ...] = ()) -> None:
        if jobs < 1:
            raise UserError(f"--jobs must be at least 1, got {jobs}")
        self.pool = WorkerPool(preload)
        self.threads = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="bench")

    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        futures = {self.threads.submit(self.pool.run, job): job for job in jobs}
        for future in as_completed(futures):
            yield futures[future], future.result()

    def close(self) -> None:
        self.pool.kill_all()
        self.threads.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Jobs on a running Dask cluster; workers need this package installed (and the solver's module)."""

    def __init__(self, scheduler: str | None, connect_timeout: float = 10.0) -> None:
        if not scheduler:
            raise UserError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        from distributed import Client

        try:
            self.client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as e:
            raise UserError(f"cannot reach the dask scheduler at {scheduler}: {e}") from None
        self.futures: list = []

    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        from distributed import as_completed as dask_as_completed

        by_key = {}
        for job in jobs:
            future = self.client.submit(
                run_isolated, job, pure=False, key=f"bench-{'-'.join(job.key)}-{id(job)}"
            )
            by_key[future.key] = job
            self.futures.append(future)
        for future in dask_as_completed(self.futures, loop=self.client.loop):
            job = by_key[future.key]
            try:
                outcome = future.result()
            except Exception as e:  # the cluster lost the task (worker died, shipping failed)
                outcome = Outcome("error", error=f"dask: {type(e).__name__}: {e}")
            yield job, outcome

    def close(self) -> None:
        for future in self.futures:
            future.cancel()
        self.client.close()


def make_executor(kind: str, jobs: int, scheduler: str | None, preload: tuple[str, ...] = ()) -> Executor:
    """`preload`: modules (the solvers') local workers import once, before forking."""
    if kind == "local":
        return LocalExecutor(jobs, preload)
    if kind == "dask":
        return DaskExecutor(scheduler)
    raise UserError(f"unknown executor {kind!r} (use local or dask)")
