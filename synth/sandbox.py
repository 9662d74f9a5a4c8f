"""Run untrusted `transform(grid)` programs (LLM-written, user-given) and get back plain grids.

The boundary is the process, not the language. Layers, outermost last:
1. the language layer (`synth.sandbox_policy`): size cap, restricted compile, guards, stand-ins;
2. a worker process (`synth.sandbox_worker`) with its own process group, a scrubbed environment, an
   empty temporary cwd, no stdin/stdout, dropped privileges and kernel limits (address space, CPU
   seconds, file size 0, no new processes, no core dumps);
3. a wall-clock timeout here that kills the worker's whole process group;
4. this host decodes the reply as JSON and checks it with exact types before anyone compares it.

Workers are reused across programs (every program gets fresh globals and builtins) and replaced after
a timeout, a crash or a memory error.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from dsl.grid import Grid, grid_to_list

Status = Literal["ok", "rejected", "error", "timeout", "memory", "invalid"]
STATUSES: tuple[str, ...] = ("ok", "rejected", "error", "timeout", "memory", "invalid")

HEADER = struct.Struct(">I")
MAX_REPLY_BYTES = 256 * 1024
MAX_SIDE = 30
STARTUP_TIMEOUT_S = 30.0
WORKER_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}


@dataclass(frozen=True)
class RunResult:
    """One program on one grid. `output` is a uint8 grid when status is ok, else None."""

    status: Status
    output: Grid | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class SandboxConfig:
    workers: int = 2
    jobs_per_worker: int = 500  # recycle a worker after this many programs, for hygiene


class WorkerDied(Exception):
    """The worker closed its pipe or sent something that is not a reply."""


def check_grid(data: Any) -> Grid:
    """Exact-type check of a decoded reply: a list of 1-30 lists of 1-30 ints 0-9, rectangular."""
    if type(data) is not list or not 0 < len(data) <= MAX_SIDE:
        raise ValueError("output is not a list of 1-30 rows")
    width = None
    for row in data:
        if type(row) is not list or not 0 < len(row) <= MAX_SIDE:
            raise ValueError("a row is not a list of 1-30 cells")
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise ValueError("output is not rectangular")
        for v in row:
            if type(v) is not int or not 0 <= v <= 9:
                raise ValueError(f"a cell is {v!r}, not an int 0-9")
    return np.array(data, dtype=np.uint8)


class Worker:
    """One sandbox process and the two pipes to it."""

    def __init__(self) -> None:
        self.cwd = tempfile.mkdtemp(prefix="synth-sandbox-")
        os.chmod(self.cwd, 0o755)
        req_r, self.req_w = os.pipe()
        self.resp_r, resp_w = os.pipe()
        self.jobs = 0
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-m", "synth.sandbox_worker", str(req_r), str(resp_w)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=self.cwd,
                env=dict(WORKER_ENV),
                pass_fds=(req_r, resp_w),
                start_new_session=True,
            )
        finally:
            os.close(req_r)
            os.close(resp_w)
        self.buffer = b""
        try:
            reply = self.read(time.monotonic() + STARTUP_TIMEOUT_S)
        except WorkerDied:
            reply = None
        if reply is None or not reply.get("ready"):
            self.kill()
            raise WorkerDied(f"sandbox worker did not start (exit code {self.proc.returncode})")

    def send(self, job: dict[str, Any]) -> None:
        data = json.dumps(job, separators=(",", ":")).encode()
        view = memoryview(HEADER.pack(len(data)) + data)
        while view:
            view = view[os.write(self.req_w, view) :]

    def read(self, deadline: float) -> dict[str, Any] | None:
        """The next reply, None at the deadline; raises WorkerDied on EOF or a malformed reply."""
        while True:
            if len(self.buffer) >= HEADER.size:
                (size,) = HEADER.unpack(self.buffer[: HEADER.size])
                if size > MAX_REPLY_BYTES:
                    raise WorkerDied(f"reply of {size} bytes, over the {MAX_REPLY_BYTES} cap")
                if len(self.buffer) >= HEADER.size + size:
                    body = self.buffer[HEADER.size : HEADER.size + size]
                    self.buffer = self.buffer[HEADER.size + size :]
                    try:
                        reply = json.loads(body)
                    except ValueError:
                        raise WorkerDied("malformed reply") from None
                    if type(reply) is not dict:
                        raise WorkerDied("malformed reply")
                    return reply
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.resp_r], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.resp_r, 65536)
            if not chunk:
                raise WorkerDied("worker closed its pipe")
            self.buffer += chunk

    def death_status(self) -> tuple[Status, str]:
        """Why the worker died, once it has: CPU limit -> timeout, anything else -> error."""
        try:
            code = self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self.kill()
            return "error", "worker stopped answering"
        if code == -signal.SIGXCPU:
            return "timeout", "CPU time limit exceeded"
        if code < 0:
            return "error", f"worker killed by signal {signal.Signals(-code).name}"
        return "error", f"worker exited with code {code}"

    def kill(self) -> None:
        """Kill the whole process group, reap it, close the pipes, remove the temp dir."""
        with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired, AttributeError):
            self.proc.wait(timeout=5)
        for fd in (self.req_w, self.resp_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.cwd, ignore_errors=True)

    def run(
        self, source: str, job: dict[str, Any], n: int, timeout_s: float, memory_mb: int
    ) -> tuple[list[RunResult], bool]:
        """Results per grid, and whether this worker can be reused."""
        self.jobs += 1
        results: list[RunResult | None] = [None] * n
        try:
            self.send({"source": source, **job, "timeout_s": timeout_s, "memory_mb": memory_mb})
        except OSError:
            status, message = self.death_status()
            return [RunResult(status, None, message) for _ in range(n)], False
        healthy = True
        while True:
            deadline = time.monotonic() + timeout_s + 0.5  # per message: compile + one grid
            try:
                reply = self.read(deadline)
            except WorkerDied as e:
                status, message = self.death_status()
                _fill(results, status, message if "closed" in str(e) else str(e))
                return [r for r in results if r is not None], False
            if reply is None:
                _fill(results, "timeout", f"no answer within {timeout_s:g} s")
                return [r for r in results if r is not None], False
            if reply.get("done"):
                _fill(results, "error", "no result")
                return [r for r in results if r is not None], healthy
            i, status, message = reply.get("i"), reply.get("status"), reply.get("message", "")
            malformed = status not in STATUSES or type(message) is not str or type(i) is not int or i >= n
            if malformed or (i < 0 and status == "ok"):
                _fill(results, "error", "malformed reply")
                return [r for r in results if r is not None], False
            if status == "memory":
                healthy = False
            if i < 0:
                _fill(results, status, message)
                continue
            result = RunResult(status, None, message[:500])
            if status == "ok":
                try:
                    result = RunResult("ok", check_grid(reply.get("output")))
                except ValueError as e:
                    result = RunResult("invalid", None, str(e))
            results[i] = result


def _fill(results: list[RunResult | None], status: Status, message: str) -> None:
    for i, r in enumerate(results):
        if r is None:
            results[i] = RunResult(status, None, message)


class Sandbox:
    """A pool of at most `config.workers` workers; `run` is thread-safe and blocks while all are busy."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.slots = threading.BoundedSemaphore(self.config.workers)
        self.lock = threading.Lock()
        self.idle: list[Worker] = []
        self.live: set[Worker] = set()
        self.closed = False

    def run(
        self, source: str, grids: list[Any], timeout_s: float = 2.0, memory_mb: int = 512
    ) -> list[RunResult]:
        """`transform(grid)` on each grid (arrays or lists of lists)."""
        plain = [
            grid_to_list(g) if isinstance(g, np.ndarray) else [list(map(int, r)) for r in g] for g in grids
        ]
        return self._job(source, {"grids": plain}, len(plain), timeout_s, memory_mb)

    def generate(
        self,
        source: str,
        seeds: list[int],
        entry: str = "generate_input",
        timeout_s: float = 2.0,
        memory_mb: int = 512,
    ) -> list[RunResult]:
        """`entry(rng)` once per seed, `rng` a seeded random source: a generator program's inputs."""
        job = {"seeds": [int(s) for s in seeds], "entry": entry}
        return self._job(source, job, len(seeds), timeout_s, memory_mb)

    def _job(
        self, source: str, job: dict[str, Any], n: int, timeout_s: float, memory_mb: int
    ) -> list[RunResult]:
        if n == 0:
            return []
        with self.slots:
            with self.lock:
                worker = self.idle.pop() if self.idle else None
            if worker is None:
                try:
                    worker = Worker()
                except (WorkerDied, OSError) as e:
                    return [RunResult("error", None, str(e)) for _ in range(n)]
                with self.lock:
                    self.live.add(worker)
            reusable = False
            try:
                results, reusable = worker.run(source, job, n, timeout_s, memory_mb)
            finally:
                keep = reusable and worker.jobs < self.config.jobs_per_worker and not self.closed
                with self.lock:
                    if keep:
                        self.idle.append(worker)
                    else:
                        self.live.discard(worker)
                if not keep:
                    worker.kill()
        return results

    def worker_pids(self) -> list[int]:
        with self.lock:
            return [w.proc.pid for w in self.live]

    def close(self) -> None:
        self.closed = True
        with self.lock:
            workers = list(self.live)
            self.live.clear()
            self.idle.clear()
        for w in workers:
            w.kill()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_default: Sandbox | None = None
_default_lock = threading.Lock()


def default_sandbox() -> Sandbox:
    """The process-wide pool behind `run_program`, closed at exit."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Sandbox()
            atexit.register(_default.close)
        return _default


def run_program(
    source: str, grids: list[Any], timeout_s: float = 2.0, memory_mb: int = 512
) -> list[RunResult]:
    """Run `transform(grid)` from `source` on each grid in a sandbox worker; one result per grid.

    `timeout_s` bounds each grid (wall clock); `memory_mb` the worker's address space.
    """
    return default_sandbox().run(source, grids, timeout_s=timeout_s, memory_mb=memory_mb)
