"""Task files: parsing, saving, and the one-line errors `synth solve` gives for each kind of bad file."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dsl.grid import grid_to_list
from dsl.task import TaskError, load_task, parse_task, save_task, task_to_json
from synth.cli import main


def test_load_task_reads_ids_grids_and_meta(
    write_task: Callable[..., Path], task_data: dict[str, Any]
) -> None:
    task_data["program"] = "transpose(I)"
    task = load_task(write_task(task_data, "abc123.json"), category="demo")
    assert task.id == "abc123" and task.category == "demo"
    assert [grid_to_list(p.input) for p in task.train] == [p["input"] for p in task_data["train"]]
    assert [grid_to_list(p.output) for p in task.train] == [p["output"] for p in task_data["train"]]
    assert task.test_outputs_known
    assert task.meta == {"program": "transpose(I)"}


def test_test_outputs_are_optional(task_data: dict[str, Any]) -> None:
    del task_data["test"][0]["output"]
    task = parse_task(task_data, "t")
    assert task.test[0].output is None and not task.test_outputs_known
    task_data["test"][0]["output"] = None  # an explicit null means unknown too
    assert not parse_task(task_data, "t").test_outputs_known


def test_save_task_round_trips(tmp_path: Path, task_data: dict[str, Any]) -> None:
    task_data["note"] = "kept"
    task = parse_task(task_data, "round")
    path = tmp_path / "deep" / "round.json"
    save_task(task, path)
    assert json.loads(path.read_text()) == task_data
    assert task_to_json(load_task(path)) == task_data


def _corrupt(data: dict[str, Any], edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    edit(data)
    return data


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


# (case name, edit applied to a valid task dict, words the message must contain)
BAD_TASKS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("missing train", lambda d: d.pop("train"), "missing key 'train'"),
    ("missing test", lambda d: d.pop("test"), "missing key 'test'"),
    ("missing input", lambda d: d["train"][1].pop("input"), "train[1]: missing key 'input'"),
    ("missing train output", lambda d: d["train"][0].pop("output"), "train[0]: missing key 'output'"),
    ("empty train", _set(("train",), []), "'train' is empty"),
    ("empty test", _set(("test",), []), "'test' is empty"),
    ("train not a list", _set(("train",), {"input": [[1]]}), "'train' is not a list"),
    ("pair not an object", _set(("train", 0), [[1]]), "train[0] is list, expected an object"),
    ("non-rectangular", _set(("train", 0, "input"), [[1, 2], [3]]), "input: grid is not rectangular"),
    ("empty grid", _set(("train", 1, "output"), []), "train[1].output: grid is empty"),
    ("empty row", _set(("test", 0, "input"), [[]]), "test[0].input: row 0 is empty"),
    ("too wide", _set(("train", 0, "input"), [[0] * 31]), "train[0].input: grid has 31 columns, over 30"),
    ("too tall", _set(("train", 0, "output"), [[0]] * 31), "train[0].output: grid has 31 rows, over 30"),
    ("value 10", _set(("train", 0, "input", 0, 0), 10), "cell (0, 0) is 10, outside 0-9"),
    ("negative", _set(("train", 0, "input", 1, 2), -3), "cell (1, 2) is -3, outside 0-9"),
    ("float", _set(("train", 0, "input", 0, 1), 1.5), "cell (0, 1) is 1.5, not an integer"),
    ("string cell", _set(("train", 0, "input", 0, 1), "2"), "cell (0, 1) is '2', not an integer"),
    ("test output string", _set(("test", 0, "output"), "[[1]]"), "test[0].output: grid is a string"),
    ("test output number", _set(("test", 0, "output"), 7), "test[0].output: grid is a number"),
    ("test output object", _set(("test", 0, "output"), {}), "test[0].output: grid is an object"),
    ("train output null", _set(("train", 0, "output"), None), "train[0].output: grid is null"),
]


@pytest.mark.parametrize(("case", "edit", "fault"), BAD_TASKS, ids=[c[0] for c in BAD_TASKS])
def test_solve_refuses_bad_task(
    case: str,
    edit: Callable[[dict[str, Any]], None],
    fault: str,
    task_data: dict[str, Any],
    write_task: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_task(_corrupt(task_data, edit), "bad.json")
    _assert_refused(path, fault, capsys)


RAW_FILES: list[tuple[str, str | bytes, str]] = [
    ("not json", "{'train': []}", "not valid JSON (Expecting property name"),
    ("truncated", '{"train": [{"input": [[1]]', "not valid JSON"),
    ("empty file", "", "file is empty"),
    ("top-level list", "[]", "top level is list, expected an object"),
    ("not utf-8", b"\xff\xfe{}", "cannot read file (UnicodeDecodeError"),
]


@pytest.mark.parametrize(("case", "content", "fault"), RAW_FILES, ids=[c[0] for c in RAW_FILES])
def test_solve_refuses_unreadable_file(
    case: str,
    content: str | bytes,
    fault: str,
    write_task: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    _assert_refused(write_task(content, "raw.json"), fault, capsys)


def test_load_task_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="cannot read file"):
        load_task(tmp_path)


def _assert_refused(path: Path, fault: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 2, one line on stderr naming the file and the fault, nothing on stdout, no traceback."""
    assert main(["solve", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"synth solve: error: {path}: ")
    assert fault in lines[0]
    assert "Traceback" not in err
