"""The live progress bar: tasks done, solved so far per solver, ETA (rich, on stderr)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BenchProgress:
    def __init__(self, total: int, solvers: list[str], enabled: bool = True) -> None:
        self.solved = dict.fromkeys(solvers, 0)
        self.progress = Progress(
            TextColumn("[bold]bench"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[solved]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not enabled,
            transient=False,
        )
        self.task_id = self.progress.add_task("bench", total=total, solved=self._solved_text())

    def _solved_text(self) -> str:
        return "solved " + " ".join(f"{name}={n}" for name, n in self.solved.items())

    def __enter__(self) -> BenchProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def done(self, solver: str, solved: bool) -> None:
        if solved:
            self.solved[solver] = self.solved.get(solver, 0) + 1
        self.progress.update(self.task_id, advance=1, solved=self._solved_text())
