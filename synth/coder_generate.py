"""`synth generate coder`: the LLM writes task generators, the sandbox runs them, new tasks come out.

For attempt i the model sees a seed task (drawn from `seed_tasks` with a seeded rng) and writes a
`generate_input(rng)` and a `transform(grid)` in its spirit. The sandbox draws `pairs + 1` inputs from
seeded rngs and applies `transform`; the task is kept only if every call succeeded with a valid grid
and the pairs pass the same degeneracy screen as the program-generated sets (no repeated inputs, not
the identity, not a constant output). The generator's source is kept in the task's metadata.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dsl.generators.tasks import degeneracy
from dsl.grid import MAX_SIDE
from dsl.task import Pair, Task
from synth.coder import CoderConfig
from synth.coder_prompts import extract_code, render, rows, shape_text, system_message
from synth.llm import BudgetExceeded, LLMClient, SampleFailed
from synth.sandbox import Sandbox, default_sandbox

CATEGORY = "coder"


@dataclass(frozen=True)
class CoderGenerateConfig:
    n: int
    seed: int = 0
    pairs: int = 4  # train pairs per task; one more input becomes the test pair
    max_attempts: int | None = None  # default: 3 per task asked for
    program_timeout_s: float = 2.0


@dataclass
class CoderGenerateReport:
    generated: int = 0
    attempts: int = 0
    seconds: float = 0.0
    dropped: Counter[str] = field(default_factory=Counter)
    usage: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "generated": self.generated,
            "attempts": self.attempts,
            "seconds": round(self.seconds, 2),
            "dropped": dict(sorted(self.dropped.items())),
            "usage": self.usage,
        }


def generator_messages(seed_task: Task) -> list[dict[str, str]]:
    train = [
        {
            "input": rows(p.input),
            "output": rows(p.output),
            "input_shape": shape_text(p.input),
            "output_shape": shape_text(p.output),
        }
        for p in seed_task.train
        if p.output is not None
    ]
    return [system_message(), {"role": "user", "content": render("generator.j2", train=train)}]


def attempt(
    index: int,
    config: CoderGenerateConfig,
    seed_tasks: list[Task],
    llm: LLMClient,
    sandbox: Sandbox,
) -> Task | str:
    """Attempt `index`: a kept task, or the reason it was dropped."""
    rng = random.Random(f"{config.seed}-{index}")
    seed_task = rng.choice(seed_tasks)
    try:
        answer = llm.complete(generator_messages(seed_task), sample_index=index)
    except BudgetExceeded:
        return "budget_spent"
    except SampleFailed:
        return "llm_failed"
    source = extract_code(answer.text, entry="transform")
    if source is None or "def generate_input(" not in source:
        return "no_code"
    seeds = [rng.randrange(2**31) for _ in range(config.pairs + 1)]
    made = sandbox.generate(source, seeds, timeout_s=config.program_timeout_s)
    if not all(r.ok for r in made):
        return "generator_failed"
    inputs = [r.output for r in made]
    ran = sandbox.run(source, inputs, timeout_s=config.program_timeout_s)
    if not all(r.ok for r in ran):
        return "transform_failed"
    outputs = [r.output for r in ran]
    reason = degeneracy(inputs, outputs, MAX_SIDE)  # type: ignore[arg-type]
    if reason:
        return reason
    pairs = [Pair(i, o) for i, o in zip(inputs, outputs, strict=True)]
    return Task(
        id=f"coder-s{config.seed}-{index:05d}",
        train=tuple(pairs[:-1]),
        test=tuple(pairs[-1:]),
        category=CATEGORY,
        meta={"source": "coder", "seed_task": seed_task.id, "model": llm.config.model, "generator": source},
    )


def generate_coder_tasks(
    config: CoderGenerateConfig,
    coder: CoderConfig,
    seed_tasks: list[Task],
    emit: Callable[[Task], None],
    sandbox: Sandbox | None = None,
) -> CoderGenerateReport:
    """Ask for generators until `config.n` tasks are kept (or attempts or the budget run out)."""
    if not seed_tasks:
        raise ValueError("no seed tasks")
    llm = LLMClient(coder.llm)
    sandbox = sandbox or default_sandbox()
    report = CoderGenerateReport()
    start = time.monotonic()
    limit = config.max_attempts if config.max_attempts is not None else 3 * config.n
    for index in range(limit):
        if report.generated >= config.n:
            break
        outcome = attempt(index, config, seed_tasks, llm, sandbox)
        report.attempts += 1
        if isinstance(outcome, str):
            report.dropped[outcome] += 1
            if outcome == "budget_spent":
                break
        else:
            emit(outcome)
            report.generated += 1
    report.seconds = time.monotonic() - start
    report.usage = llm.usage.as_dict()
    return report
