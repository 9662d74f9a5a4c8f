"""`synth generate`: files on disk, determinism across worker counts, the DFS check, drop statistics."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dsl.generators import SIMPLE_TRANSFORMS, DraftConfig
from dsl.interpreter import execute
from dsl.program import Expr, parse_program
from dsl.task import Task, load_task, task_files, task_to_json
from model.data import load_folder
from synth.cli import main
from synth.generate import (
    GenerateConfig,
    SearchChecker,
    generate_program_tasks,
    read_jsonl_shards,
)
from synth.search import SearchSolver
from synth.solver import Budget, run_solver
from synth.sources import load_source


def _folder_contents(folder: Path) -> dict[str, str]:
    """The task files' contents (not the run record, which names its own settings)."""
    return {str(p.relative_to(folder)): p.read_text() for p in task_files(folder)}


def test_simple_writes_one_folder_per_transform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "simple"
    assert main(["generate", "simple", "--per-transform", "2", "--seed", "3", "--out", str(out)]) == 0
    assert "wrote 16 tasks" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == sorted(SIMPLE_TRANSFORMS)
    tasks = [t for t in load_source(str(out)) if isinstance(t, Task)]
    assert len(tasks) == 16 and {t.category for t in tasks} == set(SIMPLE_TRANSFORMS)
    for task in tasks:
        program = parse_program(task.meta["program"])
        assert all(np.array_equal(execute(program, p.input), p.output) for p in (*task.train, *task.test))

    again, other = tmp_path / "again", tmp_path / "other"
    assert main(["generate", "simple", "--per-transform", "2", "--seed", "3", "--out", str(again)]) == 0
    assert main(["generate", "simple", "--per-transform", "2", "--seed", "4", "--out", str(other)]) == 0
    assert _folder_contents(out) == _folder_contents(again)
    assert _folder_contents(out) != _folder_contents(other)


def test_search_solves_generated_simple_tasks(tmp_path: Path) -> None:
    assert main(["generate", "simple", "--per-transform", "1", "--seed", "9", "--out", str(tmp_path)]) == 0
    solver = SearchSolver(max_depth=3)
    for task in load_source(str(tmp_path)):
        assert isinstance(task, Task)
        solution, _ = run_solver(solver, task, Budget(seconds=60, nodes=5000))
        assert np.array_equal(solution.attempts[0][0], task.test[0].output), (
            task.category,
            solution.programs,
        )


def test_programs_json_files_are_checked_and_deterministic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    argv = ["generate", "programs", "--n", "12", "--depth", "2", "--seed", "5"]
    assert main([*argv, "--jobs", "1", "--out", str(one)]) == 0
    printed = capsys.readouterr().out
    assert "generated 12 tasks" in printed and "tasks/s" in printed and "dropped" in printed
    assert main([*argv, "--jobs", "2", "--out", str(two)]) == 0
    assert _folder_contents(one) == _folder_contents(two)  # same seed, same tasks, whatever the workers

    stats = json.loads((one / "_stats.json").read_text())
    assert stats["generated"] == 12
    assert not (one / "stats.json").exists()  # a *.json there would be read as a task by the bench
    assert stats["attempts"] == 12 + sum(stats["dropped"].values())
    tasks = [t for t in load_source(str(one)) if isinstance(t, Task)]
    assert len(tasks) == 12
    checker = SearchChecker()
    for task in tasks:
        assert task.category == f"depth_{task.meta['depth']}" and 1 <= task.meta["depth"] <= 2
        program = parse_program(task.meta["program"])
        assert all(np.array_equal(execute(program, p.input), p.output) for p in (*task.train, *task.test))
        assert checker(task, program) == "solved"


def test_programs_jsonl_shards_round_trip(tmp_path: Path) -> None:
    argv = ["generate", "programs", "--n", "7", "--depth", "2", "--seed", "2", "--jobs", "1"]
    assert main([*argv, "--format", "jsonl", "--shard-size", "3", "--out", str(tmp_path / "l")]) == 0
    assert main([*argv, "--out", str(tmp_path / "j")]) == 0
    shards = sorted(p.name for p in (tmp_path / "l").glob("*.jsonl.gz"))
    assert shards == ["shard-00000.jsonl.gz", "shard-00001.jsonl.gz", "shard-00002.jsonl.gz"]
    from_shards = list(read_jsonl_shards(tmp_path / "l"))
    from_files = sorted((load_task(p) for p in task_files(tmp_path / "j")), key=lambda t: t.id)
    assert [t.id for t in from_shards] == [t.id for t in from_files]
    assert [task_to_json(t) for t in from_shards] == [task_to_json(t) for t in from_files]
    # both loaders read the shard folder and skip the run record beside the shards
    assert (tmp_path / "l" / "_stats.json").is_file()
    for loaded in (load_folder(tmp_path / "l"), load_source(str(tmp_path / "l"))):
        assert sorted(t.id for t in loaded) == [t.id for t in from_files]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["programs", "--n", "0"], "--n must be at least 1"),
        (["programs", "--depth", "9"], "--depth must be 1-5"),
        (["programs", "--max-side", "40"], "--max-side"),
        (["simple", "--per-transform", "0"], "--per-transform"),
    ],
)
def test_bad_arguments_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["generate", *argv, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_out_that_is_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "taken"
    target.write_text("x")
    assert main(["generate", "simple", "--per-transform", "1", "--out", str(target)]) == 2
    assert f"{target}: exists and is not a folder" in capsys.readouterr().err


class ScriptedChecker:
    """Says 'ambiguous' until the task has `needs` train pairs, then 'solved'; records what it saw."""

    def __init__(self, needs: int) -> None:
        self.needs = needs
        self.seen: list[int] = []

    def __call__(self, task: Task, program: Expr) -> str:
        self.seen.append(len(task.train))
        return "solved" if len(task.train) >= self.needs else "ambiguous"


def test_ambiguous_tasks_get_spare_train_pairs_then_drop() -> None:
    config = GenerateConfig(n=5, max_depth=1, jobs=1, draft=DraftConfig(n_train=3, n_spare=2))
    kept: list[Task] = []
    report = generate_program_tasks(config, kept.append, check=ScriptedChecker(needs=5))
    assert report.generated == 5 and report.extra_train == 5
    assert all(len(t.train) == 5 for t in kept)

    config = GenerateConfig(n=5, max_depth=1, jobs=1, max_attempts=40)
    checker = ScriptedChecker(needs=6)  # more than the spares allow
    report = generate_program_tasks(config, kept.append, check=checker)
    assert report.generated == 0 and report.attempts == 40
    assert report.dropped["ambiguous"] == 40 - sum(v for k, v in report.dropped.items() if k != "ambiguous")
    assert set(checker.seen) == {3, 4, 5}


def test_drop_reasons_are_reported(tmp_path: Path) -> None:
    kept: list[Task] = []
    report = generate_program_tasks(GenerateConfig(n=30, max_depth=3, seed=1, jobs=1), kept.append)
    assert report.generated == 30 == len(kept)
    assert report.attempts == 30 + sum(report.dropped.values())
    assert report.dropped  # 30 random programs never all pass
    assert set(report.to_json()) >= {"generated", "dropped", "tasks_per_second", "by_depth"}


@pytest.mark.parametrize("primitive", ["map_colors", "replace_color", "shift", "keep_largest_object"])
def test_checker_finds_programs_with_arguments(primitive: str) -> None:
    """The cost bound leaves room for the search's price of choosing arguments (colours, offsets,
    inferred colour maps): single-primitive tasks with arguments are found, not dropped."""
    from dsl.generators import ProgramSampler, SamplerConfig, make_draft
    from dsl.registry import PRIMITIVES

    sampler = ProgramSampler(SamplerConfig(exclude=frozenset(set(PRIMITIVES) - {primitive})))
    checker = SearchChecker()
    verdicts = []
    for seed in range(12):
        draft = make_draft(np.random.default_rng(seed), sampler, 1, DraftConfig())
        if not isinstance(draft, str):
            assert SearchChecker.cost_bound(draft.program, 0.1) > PRIMITIVES[primitive].cost
            verdicts.append(checker(draft.to_task("x", draft.max_train), draft.program))
    assert verdicts and "not_found" not in verdicts
    with pytest.raises(ValueError, match="vocabulary"):
        SearchChecker(vocabulary="some")
