"""`synth solve` in-process: text and JSON output, verdicts, flags, bad input, `python -m synth`.

Stand-in solvers run fixed DSL programs, so these tests do not depend on how strong the search is;
the end-to-end tests at the bottom run the real `search` solver on the bundled examples.
"""

from __future__ import annotations

import json
import runpy
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from dsl.interpreter import execute
from dsl.program import parse_program
from dsl.task import Task
from synth import solver as solver_module
from synth.cli import main
from synth.solver import Budget, Solution


class ProgramSolver:
    """Answers with fixed programs, and records what it was given in its stats."""

    name = "fixed"

    def __init__(self, programs: list[str]) -> None:
        self.programs = programs

    def solve(self, task: Task, budget: Budget) -> Solution:
        exprs = [parse_program(p) for p in self.programs]
        attempts = [[execute(e, pair.input) for e in exprs] for pair in task.test]
        stats = {
            "saw_test_outputs": any(p.output is not None for p in task.test),
            "budget_seconds": budget.seconds,
            "budget_nodes": budget.nodes,
            "numpy_count": task.train[0].input.sum(dtype="int64"),  # a numpy scalar must still print
        }
        return Solution(attempts, list(self.programs), stats)


def transpose_solver() -> ProgramSolver:
    return ProgramSolver(["transpose(I)"])


def wrong_then_right_solver() -> ProgramSolver:
    return ProgramSolver(["flip_lr(I)", "transpose(I)"])


def wrong_solver() -> ProgramSolver:
    return ProgramSolver(["flip_ud(I)", "rotate_180(I)"])


def chatty_solver() -> ProgramSolver:
    return ProgramSolver(
        [
            "transpose(I)",
            "flip_lr(I)",
            "flip_ud(I)",
            "rotate_90(I)",
            "rotate_180(I)",
            "rotate_270(I)",
            "anti_transpose(I)",
        ]
    )


class EmptySolver:
    name = "empty"

    def solve(self, task: Task, budget: Budget) -> Solution:
        return Solution(attempts=[])


@pytest.fixture(autouse=True)
def stand_in_solvers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("transpose", "wrong_then_right", "wrong", "chatty"):
        monkeypatch.setitem(solver_module.SOLVERS, name, f"{__name__}:{name}_solver")
    monkeypatch.setitem(solver_module.SOLVERS, "empty", f"{__name__}:EmptySolver")


@pytest.fixture
def task_file(write_task: Callable[..., Path], task_data: dict[str, Any]) -> Path:
    return write_task(task_data, "transposed.json")


def solve_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["solve", *argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def test_json_output(task_file: Path, task_data: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    result = solve_json(capsys, str(task_file), "--solver", "transpose", "--budget", "3", "--nodes", "50")
    assert result["task"] == "transposed"
    assert result["solver"] == "transpose"
    assert result["programs"] == ["transpose(I)"]
    assert result["attempts"] == [[task_data["test"][0]["output"]]]
    assert result["correct"] == [True] and result["score"] == 1.0
    assert isinstance(result["seconds"], float) and result["seconds"] >= 0
    assert result["budget"] == {"seconds": 3.0, "nodes": 50}
    assert result["stats"]["budget_seconds"] == 3.0 and result["stats"]["budget_nodes"] == 50
    assert result["stats"]["numpy_count"] == sum(map(sum, task_data["train"][0]["input"]))


def test_solver_never_sees_test_outputs(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = solve_json(capsys, str(task_file), "--solver", "transpose")
    assert result["stats"]["saw_test_outputs"] is False
    assert result["correct"] == [True]  # ...yet the outputs in the file are used to check the attempts


def test_second_attempt_counts(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = solve_json(capsys, str(task_file), "--solver", "wrong_then_right")
    assert len(result["attempts"][0]) == 2
    assert result["correct"] == [True]


def test_wrong_attempts(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = solve_json(capsys, str(task_file), "--solver", "wrong")
    assert result["correct"] == [False] and result["score"] == 0.0


def test_correct_is_null_without_test_outputs(
    write_task: Callable[..., Path], task_data: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    del task_data["test"][0]["output"]
    result = solve_json(capsys, str(write_task(task_data)), "--solver", "transpose")
    assert result["correct"] is None and result["score"] is None
    assert len(result["attempts"]) == 1


def test_text_output_right(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(task_file), "--solver", "transpose"]) == 0
    out = capsys.readouterr().out
    assert "transposed" in out and "1 program(s) found" in out and "1. transpose(I)" in out
    assert "test 1 of 1: solved" in out
    assert "attempt 1 (right)" in out
    assert "expected" not in out
    # without a colour terminal the grids print as digits: the test input [[8,0,0],[0,0,9]] and its transpose
    assert "8 0 0" in out and "0 0 9" in out
    assert "8 0" in out and "0 9" in out
    assert out.rstrip().endswith("solved 1 of 1 test input(s)")


def test_text_output_second_attempt(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(task_file), "--solver", "wrong_then_right"]) == 0
    out = capsys.readouterr().out
    assert "attempt 1 (wrong)" in out and "attempt 2 (right)" in out and "solved 1 of 1" in out


def test_text_output_wrong_shows_expected(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(task_file), "--solver", "wrong"]) == 0
    out = capsys.readouterr().out
    assert "test 1 of 1: not solved" in out
    assert "attempt 1 (wrong)" in out and "attempt 2 (wrong)" in out and "expected" in out
    assert out.rstrip().endswith("solved 0 of 1 test input(s)")


def test_text_output_without_test_outputs(
    write_task: Callable[..., Path], task_data: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    del task_data["test"][0]["output"]
    assert main(["solve", str(write_task(task_data)), "--solver", "transpose"]) == 0
    out = capsys.readouterr().out
    assert "(right)" not in out and "(wrong)" not in out
    assert "no test outputs: attempts not checked" in out


def test_text_output_caps_the_program_list(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(task_file), "--solver", "chatty"]) == 0
    out = capsys.readouterr().out
    assert "7 program(s) found" in out and "5. rotate_180(I)" in out
    assert "rotate_270(I)" not in out and "and 2 more" in out


def test_nothing_found(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(task_file), "--solver", "empty"]) == 0
    out = capsys.readouterr().out
    assert "no program found" in out and "(no attempt)" in out and "solved 0 of 1" in out
    assert solve_json(capsys, str(task_file), "--solver", "empty")["attempts"] == [[]]


def test_solver_from_environment(
    task_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SYNTH_SOLVER", "wrong")
    assert solve_json(capsys, str(task_file))["solver"] == "wrong"
    assert solve_json(capsys, str(task_file), "--solver", "transpose")["solver"] == "transpose"


def test_unknown_solver(task_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(task_file), "--solver", "nope"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    known = ", ".join(solver_module.SOLVERS)
    assert err.strip() == f"synth solve: error: unknown solver 'nope' (available: {known})"


def test_solver_that_cannot_load(
    task_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(solver_module.SOLVERS, "ghost", "synth.no_such_module:Ghost")
    assert main(["solve", str(task_file), "--solver", "ghost"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "synth solve: error: solver 'ghost' cannot be loaded (No module named 'synth.no_such_module')"
    )


@pytest.mark.parametrize(
    ("flags", "fault"),
    [
        (["--budget", "0"], "argument --budget: '0' must be a finite number above 0"),
        (["--budget", "soon"], "argument --budget: 'soon' is not a number"),
        (["--budget", "inf"], "argument --budget: 'inf' must be a finite number above 0"),
        (["--nodes", "-5"], "argument --nodes: '-5' must be above 0"),
        (["--nodes", "1e3"], "argument --nodes: '1e3' is not a whole number"),
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_bad_flags(task_file: Path, flags: list[str], fault: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(task_file), "--solver", "transpose", *flags]) == 2
    out, err = capsys.readouterr()
    assert out == "" and fault in err and "Traceback" not in err


def test_missing_file_and_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(tmp_path / "none.json")]) == 2
    assert capsys.readouterr().err.strip() == f"synth solve: error: {tmp_path / 'none.json'}: no such file"
    assert main(["solve", str(tmp_path)]) == 2
    assert f"{tmp_path}: is a folder, expected one task file" in capsys.readouterr().err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "solve" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"synth {metadata.version('arc-synth')}"


def test_python_dash_m(
    task_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m synth` runs the same main and exits with its code."""
    monkeypatch.setattr(sys, "argv", ["synth", "--version"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("synth", run_name="__main__")
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("synth ")
    monkeypatch.setattr(sys, "argv", ["synth", "solve", str(task_file), "--solver", "transpose", "--json"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("synth", run_name="__main__")
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out)["correct"] == [True]


# --- end to end: the real search on the bundled examples ------------------------------------------

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))
E2E_NODES = "40"  # a node budget keeps the run deterministic; the seconds budget only guards against hangs


def test_examples_are_a_handful_of_checked_tasks() -> None:
    assert 5 <= len(EXAMPLES) <= 8
    assert "flip_and_recolor.json" in {p.name for p in EXAMPLES}  # the README Quickstart solves it


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_search_solves_example(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = solve_json(capsys, str(path), "--solver", "search", "--nodes", E2E_NODES, "--budget", "120")
    assert result["task"] == path.stem and result["solver"] == "search"
    assert result["programs"], "search found no program"
    parse_program(result["programs"][0])  # program texts parse back
    assert result["correct"] is not None and all(result["correct"])


def test_quickstart_command_from_repo_root(
    examples_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's `synth solve examples/flip_and_recolor.json`, node-bounded to stay quick."""
    monkeypatch.chdir(examples_dir.parent)
    assert main(["solve", "examples/flip_and_recolor.json", "--nodes", E2E_NODES, "--budget", "120"]) == 0
    out = capsys.readouterr().out
    assert "flip_and_recolor (examples/flip_and_recolor.json): solver search" in out
    assert "attempt 1 (right)" in out
    assert out.rstrip().endswith("solved 1 of 1 test input(s)")


def test_option_flag_reaches_the_solver(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--option KEY=VALUE` becomes a keyword of the solver's factory; JSON values are decoded."""
    path = str(examples_dir / "rotate_quarter.json")
    assert main(["solve", path, "--nodes", "40", "--json", "-o", "max_depth=1"]) == 0
    shallow = json.loads(capsys.readouterr().out)
    assert shallow["correct"] == [True]
    assert shallow["stats"]["cost_bound"] <= 1


def test_bad_option_is_a_one_line_error(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(examples_dir / "rotate_quarter.json")
    assert main(["solve", path, "--option", "no_such_setting=3"]) == 2
    err = capsys.readouterr().err
    assert "no_such_setting" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["solve", path, "--option", "missing-equals"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
