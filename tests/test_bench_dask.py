"""`--executor dask`: the same jobs on a Dask distributed cluster give the same rows as a local run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench_tasks import write_task_folder

from synth import solver as solver_module
from synth.bench.executors import DaskExecutor
from synth.bench.results import MEASURED_FIELDS as MEASURED
from synth.cli import main
from synth.errors import UserError

distributed = pytest.importorskip("distributed")


def rows_without_timing(out: Path) -> dict:
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return {(r["task"], r["solver"]): {k: v for k, v in r.items() if k not in MEASURED} for r in rows}


def test_dask_run_equals_local_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(solver_module.SOLVERS, "flip", "bench_solvers:Flip")
    monkeypatch.setitem(solver_module.SOLVERS, "crash", "bench_solvers:Crash")
    tasks = write_task_folder(tmp_path / "tasks") / "geometry"
    common = ["bench", str(tasks), "--solvers", "flip,crash", "--budget", "2", "--no-progress"]
    assert main([*common, "--out", str(tmp_path / "local"), "--jobs", "2"]) == 0
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=True,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        argv = [
            *common,
            "--out",
            str(tmp_path / "dask"),
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
        ]
        assert main(argv) == 0
    local, remote = rows_without_timing(tmp_path / "local"), rows_without_timing(tmp_path / "dask")
    assert len(local) == 6
    assert remote == local


def test_an_unreachable_scheduler_is_a_user_error() -> None:
    with pytest.raises(UserError, match="cannot reach the dask scheduler at tcp://127.0.0.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", connect_timeout=1.0)
