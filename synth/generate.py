"""The generation pipeline: sample program tasks, keep those a search can identify, write them out.

Attempt i draws everything from `numpy.random.default_rng([seed, i])` and the check uses a node
budget, so the kept tasks depend only on the seed, whatever the number of worker processes: workers
take attempts in order and the parent keeps the first `n` successes by attempt index.

The solvability check: the search sees only the train pairs and must rank first a program whose
prediction matches the test output. When it finds a program that fits the train pairs but is wrong
on the test pair, the generating program is not identifiable yet: a spare pair moves into train and the
check runs again; out of spares, the draft is dropped as `ambiguous`.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import multiprocessing
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from dsl.augment import D8
from dsl.generators import SIMPLE_TRANSFORMS, DraftConfig, ProgramSampler, make_draft, make_simple_task
from dsl.grid import grids_equal
from dsl.program import Expr, primitives_used, program_cost
from dsl.registry import PRIMITIVES
from dsl.task import Task, save_task, task_to_json
from dsl.types import TYPES
from synth.solver import Budget

# Why a draft was dropped after it passed the degeneracy checks.
CHECK_REASONS: tuple[str, ...] = ("not_found", "ambiguous")


class Checker(Protocol):
    def __call__(self, task: Task, program: Expr) -> str:
        """'solved', 'ambiguous' (a train-consistent program is wrong on test) or 'not_found'.

        `program` generated the task: a checker may read its cost and vocabulary to bound the search,
        never its text as an answer."""
        ...


# Cheap look-alikes every check also searches with, so a task a symmetry explains differently on the
# train pairs than on the test pair is caught even when the program does not use one.
CONFUSERS: tuple[str, ...] = tuple(s.name for s in D8 if s.name != "identity")


@dataclass(frozen=True)
class SearchChecker:
    """Checks a task with the DFS search under a node budget, up to the generating program's cost
    (`cost_bound`).

    `vocabulary="program"` searches with the program's own primitives plus CONFUSERS: fast enough for
    tens of thousands of tasks, and it catches every impostor built from those primitives.
    `vocabulary="full"` searches every registered primitive: the strict check, one to two orders of
    magnitude slower on depth 2-3 programs."""

    nodes: int = 100
    seconds: float = 30.0  # a safety net only: the node budget is what keeps runs deterministic
    vocabulary: str = "program"

    def __post_init__(self) -> None:
        if self.vocabulary not in ("program", "full"):
            raise ValueError(f"vocabulary must be 'program' or 'full', got {self.vocabulary!r}")

    def __call__(self, task: Task, program: Expr) -> str:
        from synth.search import SearchConfig, search

        primitives = None
        if self.vocabulary == "program":
            primitives = tuple(sorted(set(primitives_used(program)) | set(CONFUSERS)))
        train_outputs = [p.output for p in task.train if p.output is not None]
        result = search(
            [p.input for p in task.train],
            train_outputs,
            [p.input for p in task.test],
            Budget(seconds=self.seconds, nodes=self.nodes),
            config=SearchConfig(
                max_cost=self.cost_bound(program, SearchConfig().param_cost), primitives=primitives
            ),
        )
        consistent = [i for i, fit in enumerate(result.fits) if fit == len(train_outputs)]
        if not consistent:
            return "not_found"
        expected = task.test[0].output
        first = result.predictions[consistent[0]][0]
        return "solved" if expected is not None and grids_equal(first, expected) else "ambiguous"

    @staticmethod
    def cost_bound(program: Expr, per_bit: float) -> float:
        """The program's cost as the search counts it, from above: its primitives' costs plus `per_bit`
        for each bit it takes to choose its arguments (at most 5 bits for an enumerated argument, 10
        digits for an inferred one such as a colour map)."""
        bits = 0.0
        for name in primitives_used(program):
            for arg_type in PRIMITIVES[name].arg_types:
                if arg_type != "Grid":
                    bits += 5.0 if TYPES[arg_type].domain else 10 * math.log2(10)
        return program_cost(program) + per_bit * bits + 1e-6


@dataclass(frozen=True)
class GenerateConfig:
    """What to generate: `n` tasks of depth 1..`max_depth`, checked with `nodes` search nodes each."""

    n: int
    max_depth: int = 3
    seed: int = 0
    jobs: int = 2
    nodes: int = 100
    seconds: float = 30.0
    vocabulary: str = "program"
    draft: DraftConfig = field(default_factory=DraftConfig)
    window: int = 64
    max_attempts: int | None = None  # default: 50 per task asked for


@dataclass(frozen=True)
class Outcome:
    """One attempt: the kept task, or the reason it was dropped; `extra_train` pairs it needed."""

    index: int
    task: Task | None
    reason: str = ""
    extra_train: int = 0


@dataclass
class GenerateReport:
    generated: int = 0
    attempts: int = 0
    seconds: float = 0.0
    dropped: Counter[str] = field(default_factory=Counter)
    extra_train: int = 0
    by_depth: Counter[int] = field(default_factory=Counter)

    @property
    def tasks_per_second(self) -> float:
        return self.generated / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "generated": self.generated,
            "attempts": self.attempts,
            "seconds": round(self.seconds, 2),
            "tasks_per_second": round(self.tasks_per_second, 2),
            "dropped": dict(sorted(self.dropped.items())),
            "tasks_with_extra_train_pairs": self.extra_train,
            "by_depth": {str(k): v for k, v in sorted(self.by_depth.items())},
        }


def attempt_task(index: int, config: GenerateConfig, sampler: ProgramSampler, check: Checker) -> Outcome:
    """Attempt `index`: draft a task from its own seed, screen it, and check it by search."""
    rng = np.random.default_rng([config.seed, index])
    depth = 1 + int(rng.integers(config.max_depth))
    draft = make_draft(rng, sampler, depth, config.draft)
    if isinstance(draft, str):
        return Outcome(index, None, draft)
    task_id = f"s{config.seed}-{index:07d}"
    for n_train in range(draft.n_train, draft.max_train + 1):
        task = draft.to_task(task_id, n_train)
        verdict = check(task, draft.program)
        if verdict == "solved":
            return Outcome(index, task, extra_train=n_train - draft.n_train)
        if verdict == "not_found":
            return Outcome(index, None, "not_found")
    return Outcome(index, None, "ambiguous")


# Per-process state of the worker pool, set once by `_init_worker`.
_WORKER: tuple[GenerateConfig, ProgramSampler, Checker] | None = None


def _init_worker(config: GenerateConfig, check: Checker) -> None:
    global _WORKER
    _WORKER = (config, ProgramSampler(), check)


def _work(index: int) -> Outcome:
    assert _WORKER is not None
    return attempt_task(index, *_WORKER)


def _outcomes(config: GenerateConfig, check: Checker) -> Iterator[Outcome]:
    """Outcomes in attempt order, computed in `config.jobs` processes.

    A sliding window of `config.window` attempts is in flight: a slow check at the head holds back
    only the yielding, not the workers, and at most one window is computed past the last task kept.
    """
    limit = config.max_attempts if config.max_attempts is not None else 50 * config.n
    if config.jobs <= 1:
        _init_worker(config, check)
        yield from (_work(i) for i in range(limit))
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(config.jobs, initializer=_init_worker, initargs=(config, check)) as pool:
        indices = iter(range(limit))
        pending = deque(pool.apply_async(_work, (i,)) for i in itertools.islice(indices, config.window))
        while pending:
            outcome = pending.popleft().get()
            following = next(indices, None)
            if following is not None:
                pending.append(pool.apply_async(_work, (following,)))
            yield outcome


def generate_program_tasks(
    config: GenerateConfig,
    emit: Callable[[Task], None],
    check: Checker | None = None,
    progress: Callable[[GenerateReport], None] | None = None,
) -> GenerateReport:
    """Generate `config.n` checked tasks, passing each to `emit` in attempt order; returns the counts."""
    check = check or SearchChecker(nodes=config.nodes, seconds=config.seconds, vocabulary=config.vocabulary)
    report = GenerateReport()
    start = time.monotonic()
    outcomes = _outcomes(config, check)
    try:
        for outcome in outcomes:
            report.attempts += 1
            if outcome.task is None:
                report.dropped[outcome.reason] += 1
            else:
                emit(outcome.task)
                report.generated += 1
                report.extra_train += outcome.extra_train > 0
                report.by_depth[int(outcome.task.meta["depth"])] += 1
            report.seconds = time.monotonic() - start
            if progress and report.attempts % 500 == 0:
                progress(report)
            if report.generated >= config.n:
                break
    finally:
        outcomes.close()  # stops the worker pool at once
    report.seconds = time.monotonic() - start
    return report


def generate_simple_tasks(per_transform: int, seed: int) -> Iterator[Task]:
    """`per_transform` simple-ARC tasks for each transform; transform k draws from rng([seed, k])."""
    for k, transform in enumerate(SIMPLE_TRANSFORMS):
        rng = np.random.default_rng([seed, k])
        for i in range(per_transform):
            yield make_simple_task(transform, rng, task_id=f"{transform}-{i:04d}")


class JsonFolderWriter:
    """One ARC JSON file per task at `<out>/<category>/<id>.json`, so a bench reports per category."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def __call__(self, task: Task) -> None:
        save_task(task, self.out / task.category / f"{task.id}.json")

    def close(self) -> None:
        pass


class JsonlShardWriter:
    """Gzipped JSONL shards `<out>/shard-00000.jsonl.gz` of `shard_size` tasks: one task per line, its
    id, category and metadata (the generating program) beside the ARC fields."""

    def __init__(self, out: Path, shard_size: int = 1000) -> None:
        self.out, self.shard_size = out, shard_size
        self.count = 0
        self._file: gzip.GzipFile | None = None

    def __call__(self, task: Task) -> None:
        if self.count % self.shard_size == 0:
            self.close()
            self.out.mkdir(parents=True, exist_ok=True)
            path = self.out / f"shard-{self.count // self.shard_size:05d}.jsonl.gz"
            self._file = gzip.GzipFile(path, "wb", mtime=0)  # mtime=0: same seed, same bytes
        record = {"id": task.id, "category": task.category, **task_to_json(task)}
        assert self._file is not None
        self._file.write((json.dumps(record, separators=(",", ":")) + "\n").encode())
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_jsonl_shards(folder: Path) -> Iterator[Task]:
    """Tasks back from the shards in `folder`, in the order they were written."""
    from dsl.task import parse_task

    for path in sorted(folder.glob("shard-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                record = json.loads(line)
                task_id, category = record.pop("id"), record.pop("category", "")
                yield parse_task(record, task_id, category, source=f"{path}:{line_no}")
