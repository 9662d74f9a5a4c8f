"""The LLM coder: an OpenAI-compatible model writes `transform(grid)` programs, the sandbox checks them.

Flow per task: sample K answers concurrently (at most `concurrency` in flight) → extract the code →
run it in the sandbox on the train and test inputs → for R rounds, send the nearest misses back with
their wrong outputs (the revision prompt) → among programs right on every train pair, vote on the
test outputs → two attempts per test input. The winning programs' sources go into
`Solution.programs`.

Configuration, highest precedence first: keyword options (CLI flags), environment (`OPENAI_BASE_URL`,
`OPENAI_API_KEY`, `SYNTH_MODEL`, `SYNTH_CODER_*`), a TOML file (`SYNTH_CODER_CONFIG`, else
`$XDG_CONFIG_HOME/arc-synth/coder.toml`), defaults.
"""

from __future__ import annotations

import os
import time
import tomllib
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from dsl.grid import Grid, grid_key
from dsl.task import Task
from synth.coder_prompts import Message, extract_code, revision_message, task_messages
from synth.errors import UserError
from synth.llm import BudgetExceeded, LLMClient, LLMConfig, SampleFailed, Usage
from synth.solver import Budget, Solution

# environment variable -> config field (LLMConfig fields and CoderConfig fields share one namespace)
ENV_VARS: dict[str, str] = {
    "OPENAI_BASE_URL": "base_url",
    "OPENAI_API_KEY": "api_key",
    "SYNTH_MODEL": "model",
    "SYNTH_CODER_SAMPLES": "samples",
    "SYNTH_CODER_ROUNDS": "rounds",
    "SYNTH_CODER_CONCURRENCY": "concurrency",
    "SYNTH_CODER_TEMPERATURE": "temperature",
    "SYNTH_CODER_MAX_TOKENS": "max_tokens",
    "SYNTH_CODER_TIMEOUT": "timeout_s",
    "SYNTH_CODER_BUDGET_TOKENS": "budget_tokens",
    "SYNTH_CODER_BUDGET_USD": "budget_usd",
    "SYNTH_CODER_CACHE_DIR": "cache_dir",
}
CONFIG_ENV = "SYNTH_CODER_CONFIG"


@dataclass(frozen=True)
class CoderConfig:
    llm: LLMConfig = field(default_factory=LLMConfig)
    samples: int = 8  # K first answers per task
    rounds: int = 1  # R revision rounds
    revise: int = 2  # nearest misses revised per round
    concurrency: int = 4  # requests in flight
    program_timeout_s: float = 2.0
    memory_mb: int = 512
    primitives_in_prompt: bool = True


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "arc-synth" / "coder.toml"


def load_config(options: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> CoderConfig:
    """Merge defaults < config file < environment < options (None values in options are ignored)."""
    env = dict(os.environ) if env is None else env
    known = {f.name for f in fields(LLMConfig)} | {f.name for f in fields(CoderConfig)} - {"llm"}
    unknown = sorted(set(options or {}) - known)
    if unknown:
        raise UserError(f"unknown coder option {unknown[0]!r} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    path = Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else default_config_path()
    if env.get(CONFIG_ENV) or path.is_file():
        values.update(_read_config_file(path))
    values.update({name: env[var] for var, name in ENV_VARS.items() if env.get(var)})
    values.update({k: v for k, v in (options or {}).items() if v is not None})
    return _build(values, source=str(path))


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: cannot read config file ({e.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{path}: not valid TOML ({e})") from None
    return data.get("coder", data)


def _build(values: dict[str, Any], source: str) -> CoderConfig:
    llm_fields = {f.name: f for f in fields(LLMConfig)}
    coder_fields = {f.name: f for f in fields(CoderConfig) if f.name != "llm"}
    llm_args, coder_args = {}, {}
    for key, value in values.items():
        if key in llm_fields:
            llm_args[key] = _convert(key, value, llm_fields[key].type, source)
        elif key in coder_fields:
            coder_args[key] = _convert(key, value, coder_fields[key].type, source)
        else:
            raise UserError(f"{source}: unknown coder setting {key!r}")
    if "prices" in llm_args:
        llm_args["prices"] = {m: (float(p[0]), float(p[1])) for m, p in llm_args["prices"].items()}
    config = CoderConfig(llm=LLMConfig(**llm_args), **coder_args)
    for name in ("samples", "concurrency"):
        if getattr(config, name) < 1:
            raise UserError(f"coder setting {name} must be at least 1")
    return config


def _convert(key: str, value: Any, annotation: Any, source: str) -> Any:
    text = str(annotation)
    try:
        if text.startswith("int") and isinstance(value, str | int | float):
            return int(value)
        if text.startswith("float") and isinstance(value, str | int | float):
            return float(value)
        if text.startswith("bool") and isinstance(value, str):
            return value.lower() in ("1", "true", "yes", "on")
    except ValueError:
        raise UserError(f"{source}: coder setting {key}={value!r} is not a number") from None
    return value


@dataclass
class Candidate:
    """One program and what it did: train outputs (None where it failed), test outputs, the answer."""

    source: str
    messages: list[Message]  # the conversation that produced it, answer included
    train_outputs: list[Grid | None]
    test_outputs: list[Grid | None]
    errors: list[str]
    right: int
    score: float  # fraction of train pairs right, partial credit for near misses

    @property
    def consistent(self) -> bool:
        return self.right == len(self.train_outputs) and all(t is not None for t in self.test_outputs)


def score_outputs(task: Task, outputs: list[Grid | None]) -> tuple[int, float]:
    """(train pairs right, score): a right pair is 1, a same-shape miss its fraction of right cells × 0.9."""
    right, total = 0, 0.0
    for out, pair in zip(outputs, task.train, strict=True):
        expected = pair.output
        if out is None or expected is None or out.shape != expected.shape:
            continue
        same = float(np.mean(out == expected))
        right += same == 1.0
        total += 1.0 if same == 1.0 else 0.9 * same
    return right, total / max(1, len(task.train))


class CoderSolver:
    name = "coder"

    def __init__(self, config: CoderConfig | None = None, **options: Any) -> None:
        self.config = config or load_config(options)
        self.llm = LLMClient(self.config.llm)  # raises SolverUnavailable without a key

    @property
    def usage(self) -> Usage:
        """Tokens, requests and cost over every task this solver has run."""
        return self.llm.usage

    def evaluate(self, task: Task, source: str, messages: list[Message]) -> Candidate:
        from synth.sandbox import run_program

        inputs = [p.input for p in task.train] + [p.input for p in task.test]
        results = run_program(
            source, inputs, timeout_s=self.config.program_timeout_s, memory_mb=self.config.memory_mb
        )
        outputs = [r.output if r.ok else None for r in results]
        errors = [r.message if not r.ok else "" for r in results]
        n = len(task.train)
        right, score = score_outputs(task, outputs[:n])
        return Candidate(source, messages, outputs[:n], outputs[n:], errors[:n], right, score)

    def sample(self, task: Task, messages: list[Message], index: int, deadline: float) -> Candidate | str:
        """One request → code → sandbox: the candidate, or why there is none."""
        if time.monotonic() > deadline:
            return "skipped_deadline"
        try:
            answer = self.llm.complete(messages, sample_index=index)
        except BudgetExceeded:
            return "budget_spent"
        except SampleFailed:
            return "failed"
        source = extract_code(answer.text)
        if source is None:
            return "no_code"
        return self.evaluate(task, source, [*messages, {"role": "assistant", "content": answer.text}])

    def solve(self, task: Task, budget: Budget) -> Solution:
        deadline = budget.deadline()
        before = replace(self.llm.usage)
        counts: Counter[str] = Counter()
        base = task_messages(task, self.config.primitives_in_prompt)
        candidates: list[Candidate] = []
        with ThreadPoolExecutor(self.config.concurrency) as pool:
            jobs = [pool.submit(self.sample, task, base, k, deadline) for k in range(self.config.samples)]
            candidates += _collect(jobs, counts)
            for round_ in range(self.config.rounds):
                if any(c.consistent for c in candidates) or not self.llm.budget_left():
                    break
                misses = sorted((c for c in candidates if not c.consistent), key=lambda c: -c.score)
                parents = _distinct_sources(misses)[: self.config.revise]
                if not parents:
                    break
                jobs = [
                    pool.submit(
                        self.sample,
                        task,
                        [*p.messages, revision_message(task, p.source, p.train_outputs, p.errors)],
                        1000 * (round_ + 1) + k,
                        deadline,
                    )
                    for k, p in enumerate(parents)
                ]
                counts["revisions"] += len(jobs)
                candidates += _collect(jobs, counts)
        attempts, programs = vote(task, candidates)
        spent = self.llm.usage.since(before)  # per task (one task at a time per solver)
        stats = {
            **dict(counts),
            "train_consistent": sum(c.consistent for c in candidates),
            "best_score": round(max((c.score for c in candidates), default=0.0), 3),
            "usage": spent.as_dict(),
            "run_usage": self.llm.usage.as_dict(),
        }
        return Solution(attempts=attempts, programs=programs, stats=stats)


def _collect(jobs: list[Future[Candidate | str]], counts: Counter[str]) -> list[Candidate]:
    """The candidates among finished jobs; the reasons for the rest are counted."""
    out = []
    for job in jobs:
        result = job.result()
        if isinstance(result, str):
            counts[result] += 1
        else:
            counts["programs"] += 1
            out.append(result)
    return out


def _distinct_sources(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for c in candidates:
        if c.source not in seen:
            seen.add(c.source)
            out.append(c)
    return out


def vote(task: Task, candidates: list[Candidate]) -> tuple[list[list[Grid]], list[str]]:
    """Two attempts per test input: the test outputs most train-consistent programs agree on; with no
    consistent program, the best-scoring candidates' outputs. Programs come back best first."""
    consistent = [c for c in candidates if c.consistent]
    pool = consistent or sorted(candidates, key=lambda c: -c.score)
    attempts: list[list[Grid]] = []
    for t in range(len(task.test)):
        votes: Counter[bytes] = Counter()
        grids: dict[bytes, Grid] = {}
        for rank, c in enumerate(pool):
            out = c.test_outputs[t]
            if out is None:
                continue
            key = grid_key(out)
            grids.setdefault(key, out)
            votes[key] += 1 if consistent else 1.0 / (rank + 1)
        attempts.append([grids[k] for k, _ in votes.most_common(2)])
    ranked = sorted(consistent, key=lambda c: -_support(c, consistent))
    return attempts, [c.source for c in _distinct_sources(ranked)]


def _support(candidate: Candidate, others: list[Candidate]) -> int:
    mine = [grid_key(g) for g in candidate.test_outputs if g is not None]
    return sum([grid_key(g) for g in o.test_outputs if g is not None] == mine for o in others)


def with_overrides(config: CoderConfig, **llm_overrides: Any) -> CoderConfig:
    """A copy with some LLM settings changed (tests, the generate command)."""
    return replace(config, llm=replace(config.llm, **llm_overrides))
