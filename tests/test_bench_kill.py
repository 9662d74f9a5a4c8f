"""A bench killed with SIGKILL half-way loses at most the rows in flight: a rerun on the same --out
completes the set with no row lost or duplicated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench_tasks import write_task_folder

from synth import solver as solver_module
from synth.cli import main

TESTS_DIR = Path(__file__).resolve().parent
# The bench in a child process, with the slow stand-in registered the way a plugin would be.
LAUNCHER = (
    "import sys; import synth.solver as s; s.SOLVERS['slow'] = 'bench_solvers:Slow'; "
    "from synth.cli import main; sys.exit(main(sys.argv[1:]))"
)


def complete_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text().split("\n")[:-1]]


def test_kill_9_half_way_then_rerun_loses_and_duplicates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    tasks = write_task_folder(tmp_path / "tasks")
    out = tmp_path / "run"
    argv = ["bench", str(tasks), "--solvers", "slow", "--budget", "5", "--out", str(out), "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(TESTS_DIR), "BENCH_TEST_SLOW_SECONDS": "0.4"}
    child = subprocess.Popen([sys.executable, "-c", LAUNCHER, *argv], env=env, stderr=subprocess.DEVNULL)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 60
    # the malformed task's row is written first; wait for two solved rows on top of it
    while len(complete_lines(results)) < 3 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    before = complete_lines(results)
    assert 3 <= len(before) < 5, "the kill should land half-way through the 5 rows"

    monkeypatch.setitem(solver_module.SOLVERS, "slow", "bench_solvers:Slow")
    monkeypatch.setenv("BENCH_TEST_SLOW_SECONDS", "0")
    assert main(argv) == 0
    assert f"{5 - len(before)} rows computed, {len(before)} reused" in capsys.readouterr().err
    after = complete_lines(results)
    assert after[: len(before)] == before
    keys = [(r["category"], r["task"]) for r in map(json.loads, after)]
    assert len(keys) == len(set(keys)) == 5
    summary = json.loads((out / "summary.json").read_text())
    assert summary["by_solver"]["slow"]["solved_tasks"] == 3
