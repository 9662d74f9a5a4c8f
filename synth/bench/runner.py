"""The bench loop: load tasks, skip (task, solver) rows the run directory already holds, run the rest
on an executor, append each row as it finishes, then write the summary, report and submission."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsl.task import Task
from synth.bench.config import BenchConfig
from synth.bench.executors import make_executor
from synth.bench.jobs import make_job
from synth.bench.progress import BenchProgress
from synth.bench.report import render_report
from synth.bench.results import ResultsLog, Row, RowKey, bad_task_row, build_row
from synth.bench.submission import build_submission
from synth.bench.summary import summarize, to_markdown
from synth.errors import UserError
from synth.solver import SOLVERS, SolverUnavailable, make_solver
from synth.sources import BadTask, load_sources


@dataclass
class BenchRun:
    out: Path
    summary: dict[str, Any]
    computed: int  # rows run now
    reused: int  # rows found in results.jsonl from an earlier run


def check_solvers(names: tuple[str, ...], options: dict[str, dict[str, Any]] | None = None) -> dict[str, str]:
    """name -> "module:Factory" for each solver, refusing unknown or unbuilt ones (or bad options)
    before any work."""
    if not names:
        raise UserError("--solvers is empty")
    specs = {}
    for name in dict.fromkeys(names):
        try:
            # raises SolverUnavailable for unknown names, unimportable modules and bad options
            make_solver(name, **(options or {}).get(name, {}))
        except ImportError as e:  # a factory that imports what it needs when built
            raise SolverUnavailable(f"solver {name!r} cannot be loaded ({e})") from None
        specs[name] = SOLVERS[name]
    return specs


def default_out_dir() -> Path:
    return Path("runs") / time.strftime("bench-%Y%m%d-%H%M%S")


def prepare_out_dir(config: BenchConfig) -> Path:
    """Create the run directory; a resumed run must use the same budget, or its rows would mix."""
    out = config.out or default_out_dir()
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: --out exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"{out}: cannot create the run folder ({e.strerror})") from None
    settings = {"budget_seconds": config.budget_seconds, "budget_nodes": config.budget_nodes}
    run_file = out / "run.json"
    if run_file.exists():
        try:
            before = json.loads(run_file.read_text())
        except ValueError:
            before = settings
        if {k: before.get(k) for k in settings} != settings:
            raise UserError(
                f"{out}: holds a run with budget {before.get('budget_seconds')} s"
                f" / {before.get('budget_nodes')} nodes;"
                " resume with the same budget or choose another --out"
            )
    else:
        _write_text(run_file, json.dumps({**settings, "sources": list(config.sources)}, indent=2))
    return out


def _write_text(path: Path, text: str) -> None:
    """Write whole files atomically, so a killed run never leaves a half report."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def worker_sys_path() -> tuple[str, ...]:
    """The bench's own import path, so workers import every solver module the bench could."""
    return tuple(dict.fromkeys([os.getcwd(), *(p for p in sys.path if p)]))


def run_bench(config: BenchConfig) -> BenchRun:
    if config.budget_seconds <= 0:
        raise UserError(f"--budget must be positive, got {config.budget_seconds}")
    specs = check_solvers(config.solvers, config.solver_options)
    solvers = list(specs)
    items = load_sources(list(config.sources), limit=config.limit, seed=config.seed)
    tasks = [t for t in items if isinstance(t, Task)]
    bad = [t for t in items if isinstance(t, BadTask)]
    if not items:
        raise UserError(f"{', '.join(config.sources)}: no tasks found")
    out = prepare_out_dir(config)
    log = ResultsLog(out / "results.jsonl")
    keys: list[RowKey] = [(t.category, t.id, s) for t in items for s in solvers]
    done = {k for k in keys if k in log and not (config.retry_errors and log.rows[k]["status"] != "ok")}
    for b in bad:
        for s in solvers:
            if (b.category, b.id, s) not in log:
                log.append(bad_task_row(b, s))
    settings = {
        "budget_seconds": config.budget_seconds,
        "budget_nodes": config.budget_nodes,
        "timeout": config.timeout,
        "memory_mb": config.memory_mb,
        "sys_path": worker_sys_path(),
    }
    jobs = [
        make_job(t, s, specs[s], solver_options=config.solver_options.get(s, {}), **settings)
        for t in tasks
        for s in solvers
        if (t.category, t.id, s) not in done
    ]
    by_key = {(t.category, t.id): t for t in tasks}
    preload = tuple(spec.split(":")[0] for spec in specs.values())
    executor = make_executor(config.executor, config.jobs, config.scheduler, preload) if jobs else None
    progress = BenchProgress(len(keys), solvers, enabled=config.progress)
    queued = {job.key for job in jobs}
    for k in keys:
        if k not in queued:  # kept from an earlier run, or a malformed task's error row
            progress.done(k[2], log.rows[k]["score"] == 1.0)
    try:
        with progress:
            for job, outcome in executor.run(jobs) if executor else ():
                row = build_row(by_key[(job.category, job.task_id)], job.solver, outcome)
                log.append(row)
                progress.done(job.solver, row["score"] == 1.0)
    finally:
        if executor:
            executor.close()
    summary = write_outputs(out, tasks, bad, log.rows, solvers, keys)
    return BenchRun(out=out, summary=summary, computed=len(jobs), reused=len(done))


def write_outputs(
    out: Path,
    tasks: list[Task],
    bad: list[BadTask],
    rows: dict[RowKey, Row],
    solvers: list[str],
    keys: list[RowKey],
) -> dict[str, Any]:
    current = [rows[k] for k in keys if k in rows]
    summary = summarize(current, solvers)
    markdown = to_markdown(summary)
    _write_text(out / "summary.json", json.dumps(summary, indent=2))
    _write_text(out / "summary.md", markdown)
    _write_text(out / "submission.json", json.dumps(build_submission(tasks, rows, solvers)))
    _write_text(
        out / "report.html",
        render_report(tasks, bad, rows, solvers, summary, title=f"synth bench: {out.name}"),
    )
    return summary


def print_summary(run: BenchRun) -> None:
    print(to_markdown(run.summary))
    print(f"{run.computed} rows computed, {run.reused} reused; outputs in {run.out}", file=sys.stderr)
