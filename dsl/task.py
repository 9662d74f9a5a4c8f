"""ARC tasks: demonstration pairs plus test inputs, read from and written to ARC JSON."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dsl.grid import Grid, GridError, grid_to_list, make_grid


class TaskError(ValueError):
    """A task file or value that is not a valid ARC task; the message names the file and the fault."""


@dataclass(frozen=True)
class Pair:
    input: Grid
    output: Grid | None = None


@dataclass(frozen=True)
class Task:
    """One ARC task. `category` groups tasks in reports (dataset name or sub-folder)."""

    id: str
    train: tuple[Pair, ...]
    test: tuple[Pair, ...]
    category: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def test_outputs_known(self) -> bool:
        return all(p.output is not None for p in self.test)


def parse_task(data: Any, task_id: str, category: str = "", source: str = "") -> Task:
    """Validate a decoded ARC JSON object and build a Task; `source` names the file in errors."""
    where = source or task_id
    if not isinstance(data, dict):
        raise TaskError(f"{where}: top level is {type(data).__name__}, expected an object")
    for key in ("train", "test"):
        if key not in data:
            raise TaskError(f"{where}: missing key '{key}'")
        if not isinstance(data[key], list):
            raise TaskError(f"{where}: '{key}' is not a list")
    if not data["train"]:
        raise TaskError(f"{where}: 'train' is empty")
    if not data["test"]:
        raise TaskError(f"{where}: 'test' is empty")
    train = tuple(_parse_pair(p, f"{where}: train[{i}]", True) for i, p in enumerate(data["train"]))
    test = tuple(_parse_pair(p, f"{where}: test[{i}]", False) for i, p in enumerate(data["test"]))
    meta = {k: v for k, v in data.items() if k not in ("train", "test")}
    return Task(id=task_id, train=train, test=test, category=category, meta=meta)


def _parse_pair(pair: Any, where: str, need_output: bool) -> Pair:
    if not isinstance(pair, dict):
        raise TaskError(f"{where} is {type(pair).__name__}, expected an object")
    if "input" not in pair:
        raise TaskError(f"{where}: missing key 'input'")
    if need_output and "output" not in pair:
        raise TaskError(f"{where}: missing key 'output'")
    try:
        grid_in = make_grid(pair["input"])
    except GridError as e:
        raise TaskError(f"{where}.input: {e}") from None
    grid_out = None
    if pair.get("output") is not None or need_output:
        try:
            grid_out = make_grid(pair["output"])
        except GridError as e:
            raise TaskError(f"{where}.output: {e}") from None
    return Pair(grid_in, grid_out)


def load_task(path: str | Path, category: str = "") -> Task:
    """Read one ARC JSON file; the task id is the file stem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise TaskError(f"{path}: cannot read file ({e.__class__.__name__}: {e})") from None
    if not text.strip():
        raise TaskError(f"{path}: file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise TaskError(f"{path}: not valid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    return parse_task(data, task_id=path.stem, category=category, source=str(path))


SHARD_SUFFIXES = (".jsonl", ".jsonl.gz")


def is_task_file(path: Path) -> bool:
    """The one rule for what in a task folder is a task: ARC JSON files and JSONL shards. Names that
    start with `_` or `.` are the folder's own records (`synth generate` writes `_stats.json`)."""
    name = path.name
    if name.startswith(("_", ".")) or not path.is_file():
        return False
    return name.endswith(".json") or name.endswith(SHARD_SUFFIXES)


def task_files(directory: Path) -> list[Path]:
    """Every task file below `directory`, sorted."""
    return sorted(p for p in directory.rglob("*") if is_task_file(p))


def folder_category(path: Path, directory: Path) -> str:
    """A task's category is its sub-folder relative to the folder loaded ("" at the top)."""
    return "" if path.parent == directory else path.parent.relative_to(directory).as_posix()


def load_task_file(path: Path, category: str = "") -> list[Task]:
    """The tasks in one task file: an ARC JSON file holds one; a JSONL shard (`.jsonl`, `.jsonl.gz`, as
    `synth generate` writes them) holds one task object per line, with optional `id` and `category`."""
    if not path.name.endswith(SHARD_SUFFIXES):
        return [load_task(path, category=category)]
    tasks = []
    try:
        with (gzip.open if path.suffix == ".gz" else open)(path, "rt", encoding="utf-8") as f:
            lines = list(f)
    except (OSError, UnicodeDecodeError, EOFError) as e:
        raise TaskError(f"{path}: cannot read file ({e.__class__.__name__}: {e})") from None
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            raise TaskError(f"{path}: line {n + 1} is not valid JSON ({e.msg})") from None
        if not isinstance(data, dict):
            raise TaskError(f"{path}: line {n + 1} is not a task object")
        task_id = str(data.pop("id", f"{path.stem}-{n}"))
        line_category = str(data.pop("category", category))
        tasks.append(parse_task(data, task_id, line_category, source=f"{path}:{n + 1}"))
    return tasks


def task_to_json(task: Task) -> dict[str, Any]:
    """The ARC JSON form of a task (test outputs included when known), plus its metadata."""

    def pair(p: Pair) -> dict[str, Any]:
        d: dict[str, Any] = {"input": grid_to_list(p.input)}
        if p.output is not None:
            d["output"] = grid_to_list(p.output)
        return d

    return {"train": [pair(p) for p in task.train], "test": [pair(p) for p in task.test], **task.meta}


def save_task(task: Task, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(task_to_json(task), separators=(",", ":")))
