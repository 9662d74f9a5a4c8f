"""The sandbox worker process: `python -I -m synth.sandbox_worker REQ_FD RESP_FD`.

Started by `synth.sandbox` with a scrubbed environment, an empty temporary working directory, stdin,
stdout and stderr on /dev/null and its own process group. It imports everything it needs, then
locks itself down (drops root to `nobody`, no new processes, no file writes, no core dumps) and
serves jobs over two pipes: one length-prefixed JSON request in, one JSON message per grid out.
Each job gets fresh globals and builtins; CPU and address-space limits are set per job.
"""

from __future__ import annotations

import json
import os
import random
import resource
import struct
import sys
from typing import Any

import numpy as np

from synth.sandbox_policy import Forbidden, Policy, Rejected, compile_candidate, new_policy

HEADER = struct.Struct(">I")
MAX_REQUEST_BYTES = 16 * 1024 * 1024
MAX_SIDE = 30
NOBODY = 65534
MAX_MESSAGE_CHARS = 500


def read_exact(fd: int, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, n - got)
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def send(fd: int, message: dict[str, Any]) -> None:
    data = json.dumps(message, separators=(",", ":")).encode()
    _write_all(fd, HEADER.pack(len(data)) + data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def lock_down() -> None:
    """Kernel limits that hold whatever the program does; set after all imports are done."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    if os.geteuid() == 0:  # root ignores RLIMIT_NPROC: become nobody first
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (32, 32))


def set_job_limits(seconds: float, memory_mb: int) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_now = used.ru_utime + used.ru_stime
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    soft = int(cpu_now + seconds) + 2
    resource.setrlimit(
        resource.RLIMIT_CPU, (soft if cpu_hard == resource.RLIM_INFINITY else min(soft, cpu_hard), cpu_hard)
    )
    as_hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    limit = memory_mb * 1024 * 1024
    if as_hard != resource.RLIM_INFINITY:
        limit = min(limit, as_hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, as_hard))


def describe(exc: BaseException) -> str:
    try:
        text = f"{type(exc).__name__}: {exc}"
    except BaseException:  # a hostile __str__
        text = type(exc).__name__
    return text[:MAX_MESSAGE_CHARS]


class SeededRng:
    """The `rng` a generator program gets: a few methods of a seeded `random.Random`, nothing else."""

    def __init__(self, seed: int) -> None:
        self.__rng = random.Random(seed)

    def randint(self, a: int, b: int) -> int:
        return self.__rng.randint(a, b)

    def choice(self, seq: Any) -> Any:
        return self.__rng.choice(seq)

    def random(self) -> float:
        return self.__rng.random()

    def shuffle(self, items: list[Any]) -> None:
        self.__rng.shuffle(items)

    def sample(self, population: Any, k: int) -> list[Any]:
        return self.__rng.sample(population, k)


class BadResult(ValueError):
    """The program returned something that is not a grid."""


def to_plain(out: Any) -> list[list[int]]:
    """The program's result as a list of lists of ints; raises BadResult naming the fault. The host
    checks the decoded JSON again with exact types: this only converts arrays and tuples."""
    if isinstance(out, np.ndarray):
        if out.ndim != 2 or out.dtype.kind not in "iu":
            raise BadResult(f"returned an array of shape {out.shape} and dtype {out.dtype}")
        if out.shape[0] > MAX_SIDE or out.shape[1] > MAX_SIDE:
            raise BadResult(f"returned a {out.shape[0]}x{out.shape[1]} grid, over {MAX_SIDE} per side")
        return out.tolist()
    if type(out) not in (list, tuple):
        raise BadResult(f"returned {type(out).__name__}, not a list of lists")
    if len(out) > MAX_SIDE:
        raise BadResult(f"returned {len(out)} rows, over {MAX_SIDE}")
    rows = []
    for row in out:
        if isinstance(row, np.ndarray) and row.ndim == 1 and row.dtype.kind in "iu" and row.size <= MAX_SIDE:
            rows.append(row.tolist())
            continue
        if type(row) not in (list, tuple):
            raise BadResult(f"a row is {type(row).__name__}, not a list")
        if len(row) > MAX_SIDE:
            raise BadResult(f"a row has {len(row)} cells, over {MAX_SIDE}")
        cells = []
        for v in row:
            if type(v) is not int and not isinstance(v, np.integer):
                raise BadResult(f"a cell is {type(v).__name__}, not an int")
            cells.append(int(v))
        rows.append(cells)
    return rows


def run_job(job: dict[str, Any], make_policy: Any, resp_fd: int) -> str:
    """Run one program on every grid, sending one message per grid; returns the last status."""
    entry = job.get("entry", "transform")
    if "seeds" in job:  # generator mode: entry(rng) for each seed
        args: list[Any] = [SeededRng(int(seed)) for seed in job["seeds"]]
    else:
        args = [[list(row) for row in grid] for grid in job["grids"]]  # fresh copies per call
    set_job_limits(float(job["timeout_s"]) * max(1, len(args)), int(job["memory_mb"]))

    def send_all(status: str, message: str) -> str:
        send(resp_fd, {"i": -1, "status": status, "message": message})
        return status

    try:
        code = compile_candidate(job["source"])
    except Rejected as e:
        return send_all("rejected", str(e))
    policy: Policy = make_policy()
    scope = policy.globals()
    try:
        exec(code, scope)
    except MemoryError:
        return send_all("memory", "out of memory while defining the program")
    except BaseException as e:
        return send_all(*_failure(policy, e, "while defining the program"))
    transform = scope.get(entry)
    if not callable(transform):
        return send_all("rejected" if policy.violations else "error", f"no {entry}() function")
    statuses = []
    for i, arg in enumerate(args):
        status, payload = _call(policy, transform, arg)
        send(resp_fd, {"i": i, **payload})
        statuses.append(status)
    return "memory" if "memory" in statuses else "ok"


def _failure(policy: Policy, exc: BaseException, where: str) -> tuple[str, str]:
    if policy.violations:
        return "rejected", policy.violations[0][:MAX_MESSAGE_CHARS]
    if isinstance(exc, Forbidden):
        return "rejected", describe(exc)
    return "error", f"{describe(exc)} ({where})"


def _call(policy: Policy, transform: Any, arg: Any) -> tuple[str, dict[str, Any]]:
    try:
        out = transform(arg)
        plain = None if policy.violations else to_plain(out)
    except MemoryError:
        return "memory", {"status": "memory", "message": "out of memory"}
    except BaseException as e:
        status, message = _failure(policy, e, "in transform")
        if status == "error" and isinstance(e, BadResult):
            status, message = "invalid", str(e)
        return status, {"status": status, "message": message}
    if plain is None:
        return "rejected", {"status": "rejected", "message": policy.violations[0][:MAX_MESSAGE_CHARS]}
    return "ok", {"status": "ok", "output": plain}


# Runs once before lock-down, with full rights: numpy's lazy imports (and stdlib modules they pull in)
# happen now, while the interpreter's files are still readable (the worker becomes `nobody`).
WARM_UP = """
import numpy as np
from collections import Counter
def transform(grid):
    a = np.array(grid)
    parts = [np.median(a), np.std(a), np.unique(a, return_counts=True), np.pad(a, 1), np.isin(a, [1]),
             np.einsum("ij->ji", a), np.apply_along_axis(sum, 1, a), np.vectorize(abs)(a), str(a), repr(a),
             np.array_split(a, 2), np.round(a / 3, 1), np.argwhere(a),
             Counter(a.ravel().tolist()).most_common(1), np.sort(a, axis=None), a.astype(float).tolist()]
    return a
"""


def warm_up(make_policy: Any) -> None:
    policy = make_policy()
    scope = policy.globals()
    exec(compile_candidate(WARM_UP), scope)
    scope["transform"]([[1, 2, 0], [3, 4, 0]])


def main(argv: list[str]) -> int:
    req_fd, resp_fd = int(argv[0]), int(argv[1])
    make_policy = new_policy()
    warm_up(make_policy)
    lock_down()
    send(resp_fd, {"ready": True})
    while True:
        header = read_exact(req_fd, HEADER.size)
        if header is None:
            return 0  # the host closed the pipe (or died): leave
        (size,) = HEADER.unpack(header)
        if size > MAX_REQUEST_BYTES:
            return 3
        body = read_exact(req_fd, size)
        if body is None:
            return 0
        status = run_job(json.loads(body), make_policy, resp_fd)
        send(resp_fd, {"done": True, "status": status})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
