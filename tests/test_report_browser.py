"""report.html in a real headless browser (Debian's chromium): the page runs without script errors,
shows the grids, and its filters hide the right tasks. Skipped when chromium is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bench_solvers import Flip
from bench_tasks import write_task_folder

from dsl.task import Task
from synth.bench.jobs import Outcome
from synth.bench.report import render_report
from synth.bench.results import build_row, row_key
from synth.bench.summary import summarize
from synth.solver import Budget, run_solver
from synth.sources import BadTask, load_source

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)"
)


def chromium(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
    ]  # fmt: skip
    return subprocess.run([CHROMIUM, *flags, *args, url], capture_output=True, text=True, timeout=90)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A report of the Flip stand-in over the task folder, solved in-process (no workers needed)."""
    items = load_source(str(write_task_folder(tmp_path / "tasks")))
    tasks = [t for t in items if isinstance(t, Task)]
    bad = [t for t in items if isinstance(t, BadTask)]
    rows = {}
    for task in tasks:
        solution, seconds = run_solver(Flip(), task, Budget(1.0))
        outcome = Outcome(
            "ok", [[g.tolist() for g in a] for a in solution.attempts], solution.programs, {}, seconds
        )
        row = build_row(task, "flip", outcome)
        rows[row_key(row)] = row
    html = render_report(tasks, bad, rows, ["flip"], summarize(list(rows.values()), ["flip"]), title="test")
    path = tmp_path / "report.html"
    path.write_text(html)
    return path


def visible_sections(dom: str) -> list[str]:
    sections = re.findall(r'<section class="task( hidden)?".*?<h2>([^<]*)', dom)
    return [title for hidden, title in sections if not hidden]


def test_report_loads_without_errors_and_shows_the_grids(report: Path, tmp_path: Path) -> None:
    result = chromium(report.as_uri(), tmp_path / "profile", "--dump-dom")
    dom = result.stdout
    assert 'data-status="ready"' in dom, (dom[:500], result.stderr[-2000:])
    assert "Uncaught" not in result.stderr
    assert dom.count("<svg") == report.read_text().count("<svg") > 20
    assert len(visible_sections(dom)) == 5


def test_report_filters_by_state_and_category(report: Path, tmp_path: Path) -> None:
    unsolved = chromium(report.as_uri() + "#solver=flip&state=unsolved", tmp_path / "p1", "--dump-dom").stdout
    assert sorted(visible_sections(unsolved)) == ["noise/broken", "noise/noise"]
    geometry = chromium(
        report.as_uri() + "#state=solved&category=geometry", tmp_path / "p2", "--dump-dom"
    ).stdout
    assert sorted(visible_sections(geometry)) == [
        "geometry/flip_vertical",
        "geometry/rotate_90",
        "geometry/transpose",
    ]


def test_report_screenshot_is_written(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(report.as_uri(), tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,1600")
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
