"""The sandbox contains hostile programs and keeps benign ones working.

Each hostile program has its expected outcome; after each, the host is unharmed: no file appeared in a
world-writable canary folder, the host's input grid is unchanged, and no process or thread is left
beyond the pool's workers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from synth.sandbox import RunResult, Sandbox, SandboxConfig, check_grid, run_program
from synth.sandbox_policy import MAX_SOURCE_CHARS

GRID = [[1, 2, 0], [3, 4, 0]]


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(SandboxConfig(workers=2)) as sb:
        yield sb


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder anyone may write to: only the sandbox stands between a program and it."""
    folder = tmp_path_factory.mktemp("canary")
    os.chmod(folder, 0o777)
    return folder


def _processes() -> list[tuple[int, int, int]]:
    """(pid, ppid, pgid) of every process on the machine."""
    rows = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            rows.append((int(entry), int(fields[1]), int(fields[2])))
    return rows


def assert_contained(sandbox: Sandbox, canary: Path, threads_before: int) -> None:
    assert list(canary.iterdir()) == [], "a program wrote a file"
    workers = set(sandbox.worker_pids())
    assert len(workers) <= sandbox.config.workers
    for pid, ppid, pgid in _processes():
        if pgid in workers or ppid in workers:
            assert pid in workers, f"process {pid} left behind by a sandbox worker"
    assert threading.active_count() == threads_before


def prog(body: str) -> str:
    return textwrap.dedent(body).strip() + "\n"


# name -> (source, expected status); `{canary}` is replaced with the canary folder.
HOSTILE: dict[str, tuple[str, str]] = {
    "import os": ("import os\ndef transform(g):\n    return g", "rejected"),
    "import sys in function": ("def transform(g):\n    import sys\n    return g", "rejected"),
    "import subprocess": (
        "import subprocess\ndef transform(g):\n    subprocess.run(['id'])\n    return g",
        "rejected",
    ),
    "from os import system": ("from os import system\ndef transform(g):\n    return g", "rejected"),
    "__import__ call": ("def transform(g):\n    __import__('os').system('id')\n    return g", "rejected"),
    "import _thread": ("import _thread\ndef transform(g):\n    return g", "rejected"),
    "import threading": (
        "import threading\ndef transform(g):\n    threading.Thread(target=len).start()\n    return g",
        "rejected",
    ),
    "import multiprocessing": ("import multiprocessing\ndef transform(g):\n    return g", "rejected"),
    "os.fork": ("import os\ndef transform(g):\n    os.fork()\n    return g", "rejected"),
    "import signal": ("import signal\ndef transform(g):\n    signal.alarm(1)\n    return g", "rejected"),
    "import numpy.testing": ("import numpy.testing\ndef transform(g):\n    return g", "rejected"),
    "import dsl.registry": ("import dsl.registry\ndef transform(g):\n    return g", "rejected"),
    "import synth.sandbox": ("from synth import sandbox\ndef transform(g):\n    return g", "rejected"),
    "relative import": ("from . import x\ndef transform(g):\n    return g", "rejected"),
    "np.testing.runstring": (
        "import numpy as np\ndef transform(g):\n    return np.testing.runstring('1', {})",
        "error",
    ),
    "typing.sys": ("import typing\ndef transform(g):\n    return typing.sys.modules", "error"),
    "np.save": (
        "import numpy as np\ndef transform(g):\n    np.save('{canary}/x.npy', np.array(g))\n    return g",
        "error",
    ),
    "subclasses walk": (
        "def transform(g):\n    return ().__class__.__bases__[0].__subclasses__()",
        "rejected",
    ),
    "__globals__": ("def transform(g):\n    return transform.__globals__", "rejected"),
    "__code__": ("def transform(g):\n    return (lambda: 0).__code__", "rejected"),
    "__self__ walk": ("def transform(g):\n    return ''.join.__self__", "rejected"),
    "computed getattr": ("def transform(g):\n    return getattr(g, '__cla' + 'ss__')", "rejected"),
    "computed getattr caught": (
        "def transform(g):\n    try:\n        getattr(g, '__cla' + 'ss__')\n"
        "    except Exception:\n        pass\n    return g",
        "rejected",
    ),
    "getattr non-str": ("def transform(g):\n    return getattr(g, 1)", "rejected"),
    "type().mro()": ("def transform(g):\n    return type(g).mro()", "rejected"),
    "generator frame": (
        "def transform(g):\n    gen = (x for x in g)\n    return gen.gi_frame.f_back.f_globals",
        "rejected",
    ),
    "generator frame computed": (
        "def transform(g):\n    gen = (x for x in g)\n    return getattr(gen, 'gi_' + 'frame')",
        "rejected",
    ),
    "traceback frame": (
        "def transform(g):\n    try:\n        1 / 0\n"
        "    except Exception as e:\n        return getattr(e, '__trace' + 'back__')",
        "rejected",
    ),
    "str.format attribute": (
        "def transform(g):\n    s = '{0.__class__}'.format(g)\n    return g",
        "rejected",
    ),
    "str.format via type": (
        "def transform(g):\n    s = str.format('{0.__class__}', g)\n    return g",
        "rejected",
    ),
    "format_map": (
        "def transform(g):\n    s = '{x.__class__}'.format_map({'x': g})\n    return g",
        "rejected",
    ),
    "string.Formatter": (
        "import string\ndef transform(g):\n    string.Formatter().format('{0.__class__}', g)\n    return g",
        "rejected",
    ),
    "eval": ("def transform(g):\n    return eval('g')", "rejected"),
    "exec": ("def transform(g):\n    exec('import os')\n    return g", "rejected"),
    "compile": ("def transform(g):\n    compile('1', 'x', 'eval')\n    return g", "error"),
    "open for writing": ("def transform(g):\n    open('{canary}/x', 'w').write('x')\n    return g", "error"),
    "builtins dict": (
        "def transform(g):\n    __builtins__['open']('{canary}/x', 'w')\n    return g",
        "rejected",
    ),
    "ndarray.tofile": (
        "import numpy as np\ndef transform(g):\n    np.array(g).tofile('{canary}/x')\n    return g",
        "rejected",
    ),
    "ndarray.ctypes": ("import numpy as np\ndef transform(g):\n    return np.array(g).ctypes", "rejected"),
    "ndarray strides write": (
        "import numpy as np\ndef transform(g):\n    a = np.array(g)\n    a.strides = (0, 0)\n    return a",
        "rejected",
    ),
    "write to a module stand-in": (
        "import math\ndef transform(g):\n    math.pi = 3\n    return g",
        "rejected",
    ),
    "write to a library class": (
        "import collections\ndef transform(g):\n    collections.Counter.most_common = None\n    return g",
        "rejected",
    ),
    "setattr on a function": ("def transform(g):\n    setattr(transform, 'x', 1)\n    return g", "rejected"),
    "metaclass": (
        "class M(type):\n    pass\nclass X(metaclass=M):\n    pass\ndef transform(g):\n    return g",
        "rejected",
    ),
    "globals()": ("def transform(g):\n    return globals()", "error"),
    "infinite loop": ("def transform(g):\n    while True:\n        pass", "timeout"),
    "infinite loop at import": ("while True:\n    pass\ndef transform(g):\n    return g", "timeout"),
    "huge integer": ("def transform(g):\n    x = 10 ** (10 ** 8)\n    return g", "timeout"),
    "huge integer to str": ("def transform(g):\n    x = str(10 ** 5000)\n    return g", "error"),
    "recursion bomb": ("def f(n):\n    return f(n + 1)\ndef transform(g):\n    return f(0)", "error"),
    "list memory bomb": ("def transform(g):\n    x = [0] * (10 ** 10)\n    return g", "memory"),
    "string memory bomb": ("def transform(g):\n    x = 'a' * (10 ** 10)\n    return g", "memory"),
    "numpy memory bomb": (
        "import numpy as np\ndef transform(g):\n    return np.zeros((100000, 100000))",
        "memory",
    ),
    "SystemExit": ("def transform(g):\n    raise SystemExit(3)", "error"),
    "KeyboardInterrupt": ("def transform(g):\n    raise KeyboardInterrupt", "error"),
    "hostile __eq__": (
        "class Evil:\n    def __eq__(self, other):\n        return True\n"
        "def transform(g):\n    return Evil()",
        "invalid",
    ),
    "hostile __iter__": (
        "class Evil:\n    def __iter__(self):\n        return iter([[1]])\n"
        "def transform(g):\n    return Evil()",
        "rejected",
    ),
    "list subclass": ("class L(list):\n    pass\ndef transform(g):\n    return L([[1]])", "invalid"),
    "generator result": ("def transform(g):\n    return (r for r in g)", "invalid"),
    "object array": ("import numpy as np\ndef transform(g):\n    return np.array([[None]])", "invalid"),
    "bool cells": ("def transform(g):\n    return [[True]]", "invalid"),
    "float cells": ("def transform(g):\n    return [[1.0]]", "invalid"),
    "colour out of range": ("def transform(g):\n    return [[10]]", "invalid"),
    "ragged rows": ("def transform(g):\n    return [[1, 2], [3]]", "invalid"),
    "huge output": ("def transform(g):\n    return [[1] * 1000] * 1000", "invalid"),
    "deeply nested output": (
        "def transform(g):\n    a = []\n    for i in range(100000):\n        a = [a]\n    return a",
        "invalid",
    ),
    "print flood": (
        "def transform(g):\n    for i in range(20000):\n        print('x' * 100)\n    return g",
        "ok",
    ),
    "syntax error": ("def transform(g)\n    return g", "rejected"),
    "oversized source": (
        "x = 1\n" * (MAX_SOURCE_CHARS // 6 + 1) + "def transform(g):\n    return g",
        "rejected",
    ),
    "no transform": ("def solve(g):\n    return g", "error"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_program_is_contained(name: str, sandbox: Sandbox, canary: Path) -> None:
    source, expected = HOSTILE[name]
    source = source.replace("{canary}", str(canary))
    threads_before = threading.active_count()
    grid = np.array(GRID, dtype=np.uint8)
    results = sandbox.run(source, [grid, grid], timeout_s=0.5)
    assert [r.status for r in results] == [expected, expected], results[0].message
    assert all(isinstance(r, RunResult) for r in results)
    assert np.array_equal(grid, np.array(GRID)), "the host's grid changed"
    assert_contained(sandbox, canary, threads_before)
    if expected == "ok":
        assert np.array_equal(results[0].output, grid)
    else:
        assert results[0].output is None and results[0].message


def test_hostile_list_is_long_enough() -> None:
    assert len(HOSTILE) >= 40


def test_sandbox_keeps_working_after_every_hostile_program(sandbox: Sandbox) -> None:
    for source, _ in list(HOSTILE.values())[:8]:
        sandbox.run(source, [GRID], timeout_s=0.5)
    assert sandbox.run("def transform(g):\n    return g", [GRID])[0].status == "ok"


BENIGN: dict[str, tuple[str, list[list[int]]]] = {
    "helpers and comprehensions": (
        prog("""
        def _flip(row):
            return row[::-1]

        def transform(grid):
            return [_flip(r) for r in grid]
        """),
        [[0, 2, 1], [0, 4, 3]],
    ),
    "classes with state": (
        prog("""
        class Painter:
            def __init__(self, grid):
                self.grid = [list(r) for r in grid]
                self._count = 0

            def paint(self, colour):
                for r, row in enumerate(self.grid):
                    for c, v in enumerate(row):
                        if v == 0:
                            self.grid[r][c] = colour
                            self._count += 1
                return self.grid

        def transform(grid):
            return Painter(grid).paint(5)
        """),
        [[1, 2, 5], [3, 4, 5]],
    ),
    "modest recursion": (
        prog("""
        def fill(g, r, c, old, new):
            if r < 0 or c < 0 or r >= len(g) or c >= len(g[0]) or g[r][c] != old:
                return
            g[r][c] = new
            for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                fill(g, r + dr, c + dc, old, new)

        def transform(grid):
            fill(grid, 0, 2, 0, 7)
            return grid
        """),
        [[1, 2, 7], [3, 4, 7]],
    ),
    "collections and itertools": (
        prog("""
        from collections import Counter, deque, defaultdict
        import itertools

        def transform(grid):
            counts = Counter(v for row in grid for v in row)
            seen = defaultdict(int)
            queue = deque(itertools.product(range(len(grid)), range(len(grid[0]))))
            while queue:
                r, c = queue.popleft()
                seen[grid[r][c]] += 1
            most = counts.most_common(1)[0][0]
            return [[most if v == 0 else v for v in row] for row in grid]
        """),
        [[1, 2, 0], [3, 4, 0]],
    ),
    "numpy array math": (
        prog("""
        import numpy as np

        def transform(grid):
            a = np.array(grid)
            a[a == 0] = a.max()
            a[0, 0] += 1
            return np.fliplr(a)
        """),
        [[4, 2, 2], [4, 4, 3]],
    ),
    "dsl primitives": (
        prog("""
        import numpy as np
        from dsl.primitives import rotate_180

        def transform(grid):
            return rotate_180(np.array(grid, dtype=np.uint8))
        """),
        [[0, 4, 3], [0, 2, 1]],
    ),
    "annotations, typing and future import": (
        prog("""
        from __future__ import annotations
        from typing import List
        import math, functools, copy, heapq

        Grid = List[List[int]]

        @functools.lru_cache(maxsize=None)
        def square(n: int) -> int:
            return int(math.sqrt(n * n))

        def transform(grid: Grid) -> Grid:
            out: Grid = copy.deepcopy(grid)
            heap = [v for row in grid for v in row]
            heapq.heapify(heap)
            out[1][2] += square(heapq.heappop(heap) + 2)
            return tuple(tuple(r) for r in out)
        """),
        [[1, 2, 0], [3, 4, 2]],
    ),
    "closures, lambdas, sorting, exceptions, print": (
        prog("""
        SIZE = 3

        def transform(grid):
            key = lambda row: -sum(row)
            def pad(row):
                return (list(row) + [0] * SIZE)[:SIZE]
            try:
                {}["missing"]
            except KeyError as e:
                print(f"caught {e!r}")
            return [pad(r) for r in sorted(grid, key=key)]
        """),
        [[3, 4, 0], [1, 2, 0]],
    ),
}


@pytest.mark.parametrize("name", list(BENIGN))
def test_benign_program_works(name: str, sandbox: Sandbox) -> None:
    source, expected = BENIGN[name]
    (result,) = sandbox.run(source, [GRID])
    assert result.status == "ok", result.message
    assert result.output.dtype == np.uint8
    assert result.output.tolist() == expected


def test_no_state_leaks_between_programs(sandbox: Sandbox) -> None:
    first = "LEAK = [1]\nimport math\ndef transform(g):\n    LEAK.append(2)\n    return g\n"
    second = "def transform(g):\n    return [[len(LEAK)]]\n"
    sandbox.run(first, [GRID])
    for _ in range(sandbox.config.workers * 2):  # whichever worker runs it
        assert sandbox.run(second, [GRID])[0].status == "error"


def test_each_grid_gets_a_fresh_input(sandbox: Sandbox) -> None:
    source = "def transform(g):\n    g[0][0] = g[0][0] + 1\n    g.append(list(g[0]))\n    return g\n"
    results = sandbox.run(source, [GRID, GRID])
    assert [r.output.tolist() for r in results] == [[[2, 2, 0], [3, 4, 0], [2, 2, 0]]] * 2


def test_results_per_grid_and_timeout_only_where_it_happens(sandbox: Sandbox) -> None:
    source = "def transform(g):\n    while g[0][0] == 9:\n        pass\n    return g\n"
    results = sandbox.run(source, [[[1]], [[2]], [[9]], [[3]]], timeout_s=0.5)
    assert [r.status for r in results] == ["ok", "ok", "timeout", "timeout"]
    assert sandbox.run(source, [[[4]]])[0].output.tolist() == [[4]]


def test_check_grid_wants_exact_types() -> None:
    assert check_grid([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    for bad in ([], [[]], [[True]], [[1.0]], [(1,)], ([1],), [[1], [1, 2]], [[1] * 31], [[-1]], "x"):
        with pytest.raises(ValueError):
            check_grid(bad)


def test_run_program_api() -> None:
    results = run_program("def transform(grid):\n    return [row[::-1] for row in grid]\n", [np.array(GRID)])
    assert [r.status for r in results] == ["ok"]
    assert results[0].output.tolist() == [[0, 2, 1], [0, 4, 3]]


def test_kernel_limits_hold_without_the_language_layer(tmp_path: Path) -> None:
    """Even code that escaped the language layer cannot fork, start threads or write files."""
    os.chmod(tmp_path, 0o777)
    target = tmp_path / "written"
    script = textwrap.dedent(f"""
        import os, threading
        from synth.sandbox_worker import lock_down
        lock_down()
        outcomes = []
        try:
            os.fork()
            outcomes.append("forked")
        except OSError:
            outcomes.append("no fork")
        try:
            threading.Thread(target=len, args=((),)).start()
            outcomes.append("thread")
        except RuntimeError:
            outcomes.append("no thread")
        try:
            with open({str(target)!r}, "w") as f:
                f.write("x" * 10)
            outcomes.append("wrote")
        except OSError:
            outcomes.append("no write")
        print(",".join(outcomes))
    """)
    env = {"PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.stdout.strip() == "no fork,no thread,no write", proc.stderr[-500:]
    assert not target.exists() or target.stat().st_size == 0


def test_cli_run_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from synth.cli import main

    task = tmp_path / "task.json"
    task.write_text(
        '{"train": [{"input": [[1, 2]], "output": [[2, 1]]}, {"input": [[3, 4]], "output": [[3, 4]]}],'
        ' "test": [{"input": [[5, 6]]}]}'
    )
    program = tmp_path / "flip.py"
    program.write_text("def transform(grid):\n    return [row[::-1] for row in grid]\n")
    assert main(["run-program", str(program), str(task)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "train 0: right",
        "train 1: wrong (2 cells differ)",
        "test 0: ran (output 1x2, no expected output)",
        "1 of 2 pairs right",
    ]
    program.write_text("import os\ndef transform(grid):\n    return grid\n")
    assert main(["run-program", str(program), str(task)]) == 0
    assert capsys.readouterr().out.startswith("train 0: rejected: import of 'os' is not allowed")


def test_cli_run_program_bad_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from synth.cli import main

    assert main(["run-program", str(tmp_path / "missing.py"), str(tmp_path / "task.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.py: no such file" in err
    program = tmp_path / "p.py"
    program.write_text("def transform(g):\n    return g\n")
    (tmp_path / "task.json").write_text("{not json")
    assert main(["run-program", str(program), str(tmp_path / "task.json")]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_prompted_imports_are_the_stand_ins() -> None:
    from synth.sandbox_modules import ALLOWED_IMPORTS, build_stand_ins

    assert set(ALLOWED_IMPORTS) <= set(build_stand_ins())


@pytest.mark.parametrize(
    ("signum", "status", "message"),
    [
        (signal.SIGKILL, "error", "worker killed by signal SIGKILL"),
        (signal.SIGXCPU, "timeout", "CPU time limit exceeded"),
    ],
    ids=["crash", "cpu-limit"],
)
def test_a_dying_worker_is_reported_and_replaced(signum: int, status: str, message: str) -> None:
    with Sandbox(SandboxConfig(workers=1)) as sb:
        sb.run("def transform(g):\n    return g\n", [GRID])
        (pid,) = sb.worker_pids()
        threading.Timer(0.5, os.kill, (pid, signum)).start()
        (result,) = sb.run("def transform(g):\n    while True:\n        pass\n", [GRID], timeout_s=10)
        assert (result.status, result.message) == (status, message)
        assert sb.run("def transform(g):\n    return g\n", [GRID])[0].ok
        assert sb.worker_pids() != [pid]
