"""`synth bench compare RUN_A RUN_B`: gains, losses and deltas between two run folders; bad input
exits 2 with one line; `synth bench SOURCE...` is unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synth.cli import main


def _row(task: str, solver: str, score: float | None, seconds: float, status: str = "ok") -> dict[str, Any]:
    return {"task": task, "category": "cat", "solver": solver, "score": score, "seconds": seconds,
            "status": status, "attempts": [], "stats": {}}  # fmt: skip


def _write_run(path: Path, rows: list[dict[str, Any]], solvers: list[str] | None = None) -> Path:
    path.mkdir(parents=True)
    (path / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    names = solvers or list(dict.fromkeys(r["solver"] for r in rows))
    (path / "summary.json").write_text(json.dumps({"by_solver": {n: {} for n in names}}))
    return path


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    """A: search solves t1, t2 of t1..t3; B: search solves t2, t3 (gains t3, loses t1), adds t4;
    neural only in B."""
    a = _write_run(
        tmp_path / "a",
        [_row("t1", "search", 1.0, 1.0), _row("t2", "search", 1.0, 2.0), _row("t3", "search", 0.0, 3.0)],
    )
    b = _write_run(
        tmp_path / "b",
        [
            _row("t1", "search", 0.5, 2.0),
            _row("t2", "search", 1.0, 2.0),
            _row("t3", "search", 1.0, 6.0),
            _row("t4", "search", 0.0, 1.0),
            _row("t1", "neural", 1.0, 0.5),
        ],
    )
    return a, b


def test_json_lists_gains_losses_and_deltas(runs: tuple[Path, Path], capsys) -> None:
    a, b = runs
    assert main(["bench", "compare", str(a), str(b), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    search = out["solvers"]["search"]
    assert search["gained"] == ["cat/t3"] and search["lost"] == ["cat/t1"]
    assert search["only_in_a"] == [] and search["only_in_b"] == ["cat/t4"]
    assert search["common_tasks"] == 3
    assert search["score_delta"] == pytest.approx((2.5 - 2.0) / 3, abs=1e-4)
    assert search["solved_delta"] == 0
    assert search["median_seconds_delta"] == pytest.approx(0.0)  # medians 2.0 and 2.0 on common tasks
    assert search["total_seconds_delta"] == pytest.approx(4.0)
    assert search["a"]["solved"] == 2 and search["b"]["tasks"] == 4
    neural = out["solvers"]["neural"]
    assert neural["a"] is None and neural["b"]["solved"] == 1 and neural["only_in_b"] == ["cat/t1"]


def test_markdown_and_terminal_tables(runs: tuple[Path, Path], capsys) -> None:
    a, b = runs
    assert main(["bench", "compare", str(a), str(b), "--markdown"]) == 0
    markdown = capsys.readouterr().out
    assert (
        "| search | 3/4/3 | 0.667 → 0.625 | +0.167 | 2 → 2 | 1 | 1 | 2.00 → 2.00 | +0.00 | +4.0 |" in markdown
    )
    assert "- search gained (1): cat/t3" in markdown and "- search lost (1): cat/t1" in markdown
    assert "| neural | -/1/0 | - → 1.000 | - | - → 1 |" in markdown  # no common task: no delta
    assert main(["bench", "compare", str(a), str(b)]) == 0
    terminal = capsys.readouterr().out
    assert "0.667 → 0.625" in terminal and "+0.167" in terminal  # no figure cut when piped
    assert "search gained (1): cat/t3" in terminal


def test_long_task_lists_are_cut_in_tables_but_not_in_json(tmp_path: Path, capsys) -> None:
    a = _write_run(tmp_path / "a", [_row("t0", "search", 1.0, 1.0)])
    b = _write_run(tmp_path / "b", [_row(f"t{i}", "search", 1.0, 1.0) for i in range(26)])
    assert main(["bench", "compare", str(a), str(b), "--markdown"]) == 0
    assert "- search only in B (25): cat/t1, cat/t10," in capsys.readouterr().out.replace("\n", " ")
    assert main(["bench", "compare", str(a), str(b), "--markdown"]) == 0
    assert ", … 5 more" in capsys.readouterr().out
    assert main(["bench", "compare", str(a), str(b), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["solvers"]["search"]["only_in_b"]) == 25


def test_identical_runs_show_no_change(runs: tuple[Path, Path], capsys) -> None:
    a, _ = runs
    assert main(["bench", "compare", str(a), str(a), "--json"]) == 0
    search = json.loads(capsys.readouterr().out)["solvers"]["search"]
    assert search["gained"] == search["lost"] == [] and search["score_delta"] == 0


def test_a_torn_last_line_is_dropped_like_the_bench_does(runs: tuple[Path, Path], capsys) -> None:
    a, b = runs
    with open(b / "results.jsonl", "a") as f:
        f.write('{"task": "t9", "cat')
    assert main(["bench", "compare", str(a), str(b), "--json"]) == 0
    assert "cat/t9" not in capsys.readouterr().out


def test_compare_on_real_bench_runs(tmp_path: Path, examples_dir: Path, capsys) -> None:
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    common = ["--no-progress", "--nodes", "30", "--budget", "20"]
    assert main(["bench", str(examples_dir / "rotate_quarter.json"), "--out", str(out_a), *common]) == 0
    assert main(["bench", str(examples_dir), "--out", str(out_b), *common]) == 0
    capsys.readouterr()
    assert main(["bench", "compare", str(out_a), str(out_b), "--json"]) == 0
    search = json.loads(capsys.readouterr().out)["solvers"]["search"]
    assert search["common_tasks"] == 1 and len(search["only_in_b"]) == 5 and search["lost"] == []


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such run folder"),
        ("empty", "not a bench run folder (no results.jsonl)"),
        ("corrupt_row", "results.jsonl:2: corrupt row"),
        ("row_without_score", "corrupt row (no score)"),
        ("corrupt_summary", "corrupt summary"),
    ],
)
def test_bad_run_folders_exit_2_with_one_line(
    runs: tuple[Path, Path], setup: str, message: str, capsys
) -> None:
    a, b = runs
    if setup == "missing":
        b = b.parent / "nowhere"
    elif setup == "empty":
        b = b.parent / "empty"
        b.mkdir()
    elif setup == "corrupt_row":
        lines = (b / "results.jsonl").read_text().splitlines(keepends=True)
        (b / "results.jsonl").write_text(lines[0] + "not json\n" + "".join(lines[1:]))
    elif setup == "row_without_score":
        row = _row("t5", "search", 1.0, 1.0)
        del row["score"]
        with open(b / "results.jsonl", "a") as f:
            f.write(json.dumps(row) + "\n")
    elif setup == "corrupt_summary":
        (b / "summary.json").write_text("{")
    assert main(["bench", "compare", str(a), str(b)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and str(b.name) in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bench", "compare", "only_one"], "takes two run folders"),
        (["bench", "compare", "a", "b", "c"], "takes two run folders"),
        (["bench", "compare", "a", "b", "--jobs", "2"], "--jobs is a flag of `synth bench SOURCE...`"),
        (["bench", "arc1/training", "--json"], "--json and --markdown belong to `synth bench compare"),
    ],
)
def test_misused_flags_exit_2(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_json_and_markdown_are_exclusive(runs: tuple[Path, Path], capsys) -> None:
    a, b = runs
    assert main(["bench", "compare", str(a), str(b), "--json", "--markdown"]) == 2
    assert "not allowed with" in capsys.readouterr().err
