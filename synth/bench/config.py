"""What one bench run is asked to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class BenchConfig:
    sources: tuple[str, ...]
    solvers: tuple[str, ...] = ("search",)
    budget_seconds: float = 10.0
    budget_nodes: int | None = None
    jobs: int = 1
    out: Path | None = None  # None: a fresh timestamped folder under runs/
    limit: int | None = None
    seed: int = 0
    executor: str = "local"  # "local" or "dask"
    scheduler: str | None = None  # dask scheduler address, e.g. tcp://127.0.0.1:8786
    memory_mb: int = 4096  # address-space limit per worker process
    grace_seconds: float = 5.0  # a worker is killed at budget + grace
    progress: bool = True
    retry_errors: bool = False  # on resume, run `error` and `timeout` rows again
    solver_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # solver -> factory kwargs

    @property
    def timeout(self) -> float:
        return self.budget_seconds + self.grace_seconds
