"""What a worker is given (`Job`) and what comes back (`Outcome`), both plain JSON so a job can cross a
pipe, a process boundary or a Dask cluster unchanged.

A job carries the solver as its "module:Factory" spec, not its name: a worker process imports the
spec, so solvers registered at run time (tests, plugins) work in any start method or on any machine.
The task travels with its test outputs stripped; scoring happens in the parent.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from dsl.task import Task, task_to_json
from synth.solver import hide_test_outputs

STATUSES = ("ok", "error", "timeout")


@dataclass(frozen=True)
class Job:
    task_id: str
    category: str
    solver: str  # the name shown in reports
    solver_spec: str  # "module:Factory", imported by the worker
    task: dict[str, Any]  # ARC JSON without test outputs
    budget_seconds: float
    budget_nodes: int | None
    timeout: float  # wall-clock seconds before the worker is killed
    memory_mb: int
    sys_path: tuple[str, ...] = ()  # prepended in the worker so the spec's module imports
    solver_options: dict[str, Any] = field(default_factory=dict)  # keyword arguments of the factory

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.category, self.task_id, self.solver)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Job:
        data = json.loads(text)
        data["sys_path"] = tuple(data.get("sys_path", ()))
        return cls(**data)


def make_job(task: Task, solver: str, solver_spec: str, **settings: Any) -> Job:
    return Job(
        task_id=task.id,
        category=task.category,
        solver=solver,
        solver_spec=solver_spec,
        task=task_to_json(hide_test_outputs(task)),
        **settings,
    )


@dataclass
class Outcome:
    """A finished job: attempts are lists of grids as lists; `seconds` is the solver's own time."""

    status: str
    attempts: list[list[list[list[int]]]] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None
    peak_rss_mb: float = 0.0  # the worker's largest resident set, a measurement like `seconds`

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=_jsonable)

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        return cls(**json.loads(text))


def _jsonable(value: Any) -> Any:
    """numpy scalars and arrays and anything else a solver puts in its stats."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)
