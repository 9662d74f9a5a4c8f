"""The `ensemble` solver: induction first, transduction as fallback, as the best published ARC
systems do.

Members (`search`, `search+prior`, `coder`: programs; `neural`: grids) each solve the task; attempts
from programs that fit every train pair rank first, `neural`'s grids most of its views agree on fill
what is left or answer alone when no program fits, then partial-fit programs' guesses, then
`neural`'s other grids (`synth.ensemble_rank`).
Members run in forked processes, at once when cores allow, else one after another with the budget
split by `split` (`synth.ensemble_run`); `background` members (by default the transduction ones)
always start at once at the lowest CPU priority, so on a busy core the fallback takes only the time
induction leaves idle and never costs it a find. A member that cannot be built here (no checkpoint, no
endpoint), fails or overruns is recorded in `stats.members` and the others still answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dsl.task import Task
from synth.ensemble_rank import AGREEMENT, TIERS, MemberAnswer, member_answer, rank
from synth.ensemble_run import MemberRun, can_fork, default_workers, run_forked, run_serial
from synth.solver import SOLVERS, Budget, Solution, Solver, SolverUnavailable, make_solver

DEFAULT_MEMBERS = ("search", "neural")
TRANSDUCTION = ("neural",)  # members that answer with grids, not programs
DEFAULT_SHARES = {"neural": 0.25}  # split weights; a member not named here weighs 1


@dataclass(frozen=True)
class EnsembleConfig:
    members: tuple[str, ...] = DEFAULT_MEMBERS
    split: Mapping[str, float] = field(default_factory=dict)  # weights, normalised over members
    workers: int | None = None  # members at once; None: cores / the bench's --jobs; 1: one by one
    grace: float = 0.5  # seconds past the deadline before a member's process is killed
    tiers: tuple[str, ...] = TIERS  # levels best first; "vote|guess" interleaves two tiers
    transduction: tuple[str, ...] = TRANSDUCTION
    background: tuple[str, ...] | None = None  # None: the transduction members; (): none
    agreement: float = AGREEMENT  # share of views behind a transduction grid for `vote`, else `hunch`

    def background_members(self) -> frozenset[str]:
        return frozenset(self.transduction if self.background is None else self.background)

    def share(self, member: str) -> float:
        return float(self.split.get(member, DEFAULT_SHARES.get(member, 1.0)))


def parse_members(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """`search,neural` or a list; each a registered solver other than the ensemble itself."""
    names = value.split(",") if isinstance(value, str) else list(value)
    members = tuple(dict.fromkeys(str(n).strip() for n in names if str(n).strip()))
    if not members:
        raise SolverUnavailable("ensemble: members is empty")
    for name in members:
        if name == "ensemble" or name not in SOLVERS:
            known = ", ".join(n for n in SOLVERS if n != "ensemble")
            raise SolverUnavailable(f"ensemble: unknown member {name!r} (members can be: {known})")
    return members


def parse_split(value: str | Mapping[str, Any] | None, members: tuple[str, ...]) -> dict[str, float]:
    """`search=3,neural=1` or a mapping: non-negative weights of members."""
    if value is None:
        return {}
    if isinstance(value, str):
        items = [part.partition("=") for part in value.split(",") if part.strip()]
        if any(not eq for _, eq, _ in items):
            raise SolverUnavailable(f"ensemble: split {value!r} is not MEMBER=WEIGHT,...")
        pairs = [(k.strip(), v) for k, _, v in items]
    elif isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        raise SolverUnavailable(f"ensemble: split {value!r} is not MEMBER=WEIGHT,...")
    split = {}
    for name, weight in pairs:
        if name not in members:
            raise SolverUnavailable(f"ensemble: split names {name!r}, which is not a member")
        try:
            split[name] = float(weight)
        except (TypeError, ValueError):
            raise SolverUnavailable(f"ensemble: split weight {weight!r} of {name} is not a number") from None
        if not split[name] >= 0:
            raise SolverUnavailable(f"ensemble: split weight of {name} must be 0 or more")
    return split


def _names(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """`a,b` or a list: member names (empty text: none)."""
    if isinstance(value, str):
        return tuple(n.strip() for n in value.split(",") if n.strip())
    if not isinstance(value, list | tuple) or not all(isinstance(n, str) for n in value):
        raise SolverUnavailable(f"ensemble: {value!r} is not a list of member names")
    return tuple(value)


def parse_tiers(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Levels best first, e.g. `fit,vote,guess,hunch` or `fit,vote|guess,hunch` (vote and guess
    interleaved)."""
    levels = tuple(t.strip() for t in (value.split(",") if isinstance(value, str) else value))
    if sorted(t.strip() for lv in levels for t in lv.split("|")) != sorted(TIERS):
        raise SolverUnavailable(f"ensemble: tiers must order {', '.join(TIERS)}, got {value!r}")
    return tuple("|".join(t.strip() for t in lv.split("|")) for lv in levels)


class EnsembleSolver:
    name = "ensemble"

    def __init__(
        self,
        members: str | list[str] = DEFAULT_MEMBERS,
        split: str | dict[str, float] | None = None,
        workers: int | None = None,
        grace: float = 0.5,
        tiers: str | tuple[str, ...] = TIERS,
        transduction: str | tuple[str, ...] = TRANSDUCTION,
        background: str | tuple[str, ...] | None = None,
        agreement: float = AGREEMENT,
        **member_options: Any,
    ) -> None:
        """`member_options`: per member, a dict of that solver's own options
        (`-o 'ensemble.search={"max_depth": 6}'`)."""
        names = parse_members(members)
        for key, options in member_options.items():
            if key not in names:
                members_text = ", ".join(names)
                raise SolverUnavailable(f"ensemble: unknown option {key!r} (not a member: {members_text})")
            if not isinstance(options, dict):
                raise SolverUnavailable(f"ensemble: options of member {key} must be a JSON object")
        if workers is not None and (not isinstance(workers, int) or workers < 1):
            raise SolverUnavailable(f"ensemble: workers must be a whole number above 0, got {workers!r}")
        if not isinstance(grace, int | float) or grace < 0:
            raise SolverUnavailable(f"ensemble: grace must be a number of seconds, 0 or more, got {grace!r}")
        if isinstance(agreement, bool) or not isinstance(agreement, int | float) or not 0 <= agreement <= 1:
            raise SolverUnavailable(f"ensemble: agreement must be a number from 0 to 1, got {agreement!r}")
        for name in _names(background or ()):
            if name not in names:
                raise SolverUnavailable(f"ensemble: background names {name!r}, which is not a member")
        self.config = EnsembleConfig(
            names,
            parse_split(split, names),
            workers,
            float(grace),
            parse_tiers(tiers),
            _names(transduction),
            None if background is None else _names(background),
            float(agreement),
        )
        self.unavailable: dict[str, str] = {}
        self.members: dict[str, Solver] = {}
        for name in names:
            self._build(name, member_options.get(name))
        if not self.members:
            reasons = "; ".join(self.unavailable.values())
            raise SolverUnavailable(f"ensemble: no member can run here ({reasons})")

    def _build(self, name: str, options: dict[str, Any] | None) -> None:
        """A member configured explicitly must build; one on defaults that cannot run here (no
        checkpoint, no endpoint) is left out and recorded."""
        try:
            self.members[name] = make_solver(name, **(options or {}))
        except SolverUnavailable as e:
            if options:
                raise
            self.unavailable[name] = str(e)

    def workers(self) -> int:
        """Slots for the members that are not in the background."""
        slotted = sum(1 for n in self.members if n not in self.config.background_members()) or 1
        if self.config.workers is not None:
            return min(self.config.workers, slotted)
        return default_workers(slotted)

    def solve(self, task: Task, budget: Budget) -> Solution:
        workers = self.workers()
        shares = {n: self.config.share(n) for n in self.members}
        background = self.config.background_members()
        forked = can_fork()
        if forked:
            runs = run_forked(self.members, task, budget, workers, self.config.grace, shares, background)
        else:
            runs = run_serial(self.members, task, budget, shares)
        answers = [
            member_answer(r.name, r.solution, task, r.name in self.config.transduction, self.config.agreement)
            for r in runs
            if r.solution is not None
        ]
        ranking = rank(answers, len(task.test), self.config.tiers)
        programs = [p for a in answers for p in a.fit_programs]
        programs += [p for a in answers for p in a.other_programs]
        stats: dict[str, Any] = {
            "mode": "forked" if forked else "in-process",
            "workers": workers if forked else 1,
            "background": sorted(background & set(self.members)) if forked else [],
            "members": {**_member_stats(runs, answers), **self._unavailable_stats()},
            "attempt_sources": ranking.sources,
            "train_consistent": sum(1 for a in answers if a.count("fit")),
        }
        for run in runs:  # the output shapes a member predicted, for the bench's funnel
            if run.solution is not None and "predicted_shapes" in run.solution.stats:
                stats["predicted_shapes"] = run.solution.stats["predicted_shapes"]
                break
        return Solution(attempts=ranking.attempts, programs=list(dict.fromkeys(programs)), stats=stats)

    def _unavailable_stats(self) -> dict[str, dict[str, Any]]:
        return {n: {"status": "unavailable", "error": reason} for n, reason in self.unavailable.items()}


def _member_stats(runs: list[MemberRun], answers: list[MemberAnswer]) -> dict[str, dict[str, Any]]:
    by_name = {a.member: a for a in answers}
    out = {}
    for run in runs:
        entry: dict[str, Any] = {
            "status": run.status,
            "seconds": round(run.seconds, 3),
            "budget_seconds": round(run.budget_seconds, 3),
        }
        if run.error:
            entry["error"] = run.error
        answer = by_name.get(run.name)
        if answer is not None:
            entry["answered"] = {tier: answer.count(tier) for tier in TIERS if answer.count(tier)}
        if run.solution is not None:
            entry["stats"] = run.solution.stats
        out[run.name] = entry
    return out
