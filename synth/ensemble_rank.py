"""How the ensemble orders its members' answers: induction first, transduction as fallback.

Each member's attempts fall into one tier:
- `fit`: test outputs of programs right on every train pair (DSL programs are re-run here to know
  which; a member whose programs are not DSL text, the coder, says so in `stats.train_consistent`);
- `vote`: a transduction member's voted grid that at least `agreement` of its augmented views
  produced (`neural`; a member that reports no vote counts has only votes);
- `guess`: an induction member's fallback, from programs that fit only some train pairs;
- `hunch`: a transduction member's grid that fewer views agree on.

Per test input the attempts are the first distinct grids in tier order; within a tier a grid more
members propose comes first, then the member's own order. A fitting program is strong evidence, a
partial one weak, so transduction's votes go between them by default; but a model out of its depth
answers every task, and its views then disagree: those grids come last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dsl.grid import Grid, grid_key, grids_equal
from dsl.interpreter import ExecutionError, execute
from dsl.program import ProgramError, parse_program
from dsl.task import Task
from synth.solver import MAX_ATTEMPTS, Solution

TIERS = ("fit", "vote", "guess", "hunch")
AGREEMENT = 0.5  # share of the views done that must produce a grid for it to be a `vote`


@dataclass
class MemberAnswer:
    """One member's attempts per test input, each grid with the tier it belongs to."""

    member: str
    tiers: list[list[tuple[Grid, str]]]  # per test input, best first
    fit_programs: list[str] = field(default_factory=list)
    other_programs: list[str] = field(default_factory=list)

    def count(self, tier: str) -> int:
        """Test inputs with at least one attempt in `tier`."""
        return sum(any(t == tier for _, t in per_test) for per_test in self.tiers)


@dataclass(frozen=True)
class Ranking:
    attempts: list[list[Grid]]
    sources: list[list[list[str]]]  # per test input, per attempt: "member:tier" of every proposer


def fitting_outputs(programs: Sequence[str], task: Task) -> tuple[list[list[Grid]], int] | None:
    """Test outputs of the leading programs that fit every train pair (programs come best first, so
    the first that misses ends the run), and how many fit; None when the programs are not DSL text."""
    outputs: list[list[Grid]] = [[] for _ in task.test]
    n_fit = 0
    for text in programs:
        try:
            program = parse_program(text)
        except ProgramError:
            return None if n_fit == 0 else (outputs, n_fit)
        if not all(_runs_to(program, p.input, p.output) for p in task.train):
            break
        n_fit += 1
        for i, pair in enumerate(task.test):
            try:
                outputs[i].append(execute(program, pair.input))
            except ExecutionError:
                continue
        if all(len(_distinct(o)) >= MAX_ATTEMPTS for o in outputs):
            break
    return outputs, n_fit


def _runs_to(program: Any, grid: Grid, expected: Grid | None) -> bool:
    try:
        return expected is not None and grids_equal(execute(program, grid), expected)
    except ExecutionError:
        return False


def _distinct(grids: Sequence[Grid]) -> list[Grid]:
    seen: dict[bytes, Grid] = {}
    for g in grids:
        seen.setdefault(grid_key(g), g)
    return list(seen.values())


def member_answer(
    name: str, solution: Solution, task: Task, transduction: bool, agreement: float = AGREEMENT
) -> MemberAnswer:
    """Tier a member's attempts; see the module docstring for how fit is decided."""
    n_test = len(task.test)
    attempts = [list(solution.attempts[i]) if i < len(solution.attempts) else [] for i in range(n_test)]
    if transduction:
        tiers = [_vote_tiers(solution.stats, i, a, agreement) for i, a in enumerate(attempts)]
        return MemberAnswer(name, tiers, other_programs=list(solution.programs))
    fit, n_fit = _fit_attempts(solution, task, attempts)
    tiers = []
    for i in range(n_test):
        fit_keys = {grid_key(g) for g in fit[i]}
        tiers.append(
            [(g, "fit") for g in _distinct(fit[i])]
            + [(g, "guess") for g in _distinct(attempts[i]) if grid_key(g) not in fit_keys]
        )
    programs = list(solution.programs)
    return MemberAnswer(name, tiers, fit_programs=programs[:n_fit], other_programs=programs[n_fit:])


def _vote_tiers(stats: dict[str, Any], i: int, grids: list[Grid], agreement: float) -> list[tuple[Grid, str]]:
    """`vote` or `hunch` per grid of test input `i`, from the member's `votes` and `views_done`."""
    try:
        votes, views = stats["votes"][i], stats["views_done"][i]
        shares = [votes[j] / views for j in range(len(grids))]
    except (KeyError, IndexError, TypeError, ZeroDivisionError):
        shares = [1.0] * len(grids)
    return [(g, "vote" if share >= agreement else "hunch") for g, share in zip(grids, shares, strict=True)]


def _fit_attempts(solution: Solution, task: Task, attempts: list[list[Grid]]) -> tuple[list[list[Grid]], int]:
    """Per test input the grids that come from train-consistent programs, and how many programs fit."""
    verified = fitting_outputs(solution.programs, task)
    if verified is not None:
        return verified
    stats = solution.stats
    if stats.get("train_consistent"):  # the coder votes among consistent programs only, when it has any
        return attempts, len(solution.programs)
    if stats.get("n_train") and stats.get("train_fit") == stats["n_train"]:
        return [a[:1] for a in attempts], min(1, len(solution.programs))
    return [[] for _ in attempts], 0


def rank(answers: Sequence[MemberAnswer], n_test: int, tiers: Sequence[str] = TIERS) -> Ranking:
    """Up to two distinct grids per test input, ordered by tier level, then agreement, then position.

    `tiers` lists levels best first; a level may join tiers with `|` ("vote|guess"): their grids are
    then interleaved by position (each member's first grid of either tier before any second one).
    """
    level = {t: (i, j) for i, lv in enumerate(tiers) for j, t in enumerate(lv.split("|"))}
    attempts: list[list[Grid]] = []
    sources: list[list[list[str]]] = []
    for i in range(n_test):
        pooled: dict[bytes, dict[str, Any]] = {}
        for m, answer in enumerate(answers):
            seen_in_tier: dict[str, int] = {}
            for grid, tier in answer.tiers[i] if i < len(answer.tiers) else []:
                position = seen_in_tier[tier] = seen_in_tier.get(tier, -1) + 1
                if tier not in level:
                    continue
                lv, sub = level[tier]
                entry = pooled.setdefault(
                    grid_key(grid), {"grid": grid, "best": (lv, position, sub, m), "by": []}
                )
                entry["by"].append(((lv, sub), f"{answer.member}:{tier}"))
                entry["best"] = min(entry["best"], (lv, position, sub, m))

        def key(e: dict[str, Any]) -> tuple[Any, ...]:
            lv = e["best"][0]
            same_level = sum(1 for (by_level, _), _ in e["by"] if by_level == lv)
            return (lv, -same_level, -len(e["by"]), e["best"][1:])

        best = sorted(pooled.values(), key=key)[:MAX_ATTEMPTS]
        attempts.append([e["grid"] for e in best])
        sources.append([[label for _, label in sorted(e["by"])] for e in best])
    return Ranking(attempts, sources)
