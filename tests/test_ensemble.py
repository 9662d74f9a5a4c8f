"""The ensemble: induction first, transduction as fallback; members that fail, hang or cannot be
built do not sink it; members at once, one by one or in-process give the same answer."""

from __future__ import annotations

import faulthandler
import json
import time
from pathlib import Path

import numpy as np
import pytest

from dsl.grid import Grid, grid_key
from dsl.task import Task, parse_task
from synth.cli import main
from synth.ensemble import EnsembleSolver
from synth.ensemble_rank import MemberAnswer, member_answer, rank
from synth.ensemble_run import BENCH_JOBS_ENV, can_fork, default_workers
from synth.solver import SOLVERS, Budget, Solution, SolverUnavailable, run_solver

RNG = np.random.default_rng(8)


def _grid(h: int = 3, w: int = 4) -> Grid:
    return RNG.integers(0, 10, size=(h, w), dtype=np.uint8)


def _task(transform=np.rot90, n_train: int = 3, n_test: int = 1) -> Task:
    """Train and test pairs of a whole-grid transform, test outputs included (tasks are scored)."""
    pairs = [(g, np.ascontiguousarray(transform(g))) for g in (_grid() for _ in range(n_train + n_test))]
    data = {
        "train": [{"input": i.tolist(), "output": o.tolist()} for i, o in pairs[:n_train]],
        "test": [{"input": i.tolist(), "output": o.tolist()} for i, o in pairs[n_train:]],
    }
    return parse_task(data, "t")


def _rot(g: Grid) -> Grid:
    """DSL `rotate_90` is clockwise."""
    return np.ascontiguousarray(np.rot90(g, -1))


class Programs:
    """An induction stand-in answering with DSL programs, best first, as `search` does."""

    name = "programs"

    def __init__(self, programs: list[str] | None = None) -> None:
        self.programs = programs if programs is not None else ["rotate_90(I)", "flip_lr(I)"]

    def solve(self, task: Task, budget: Budget) -> Solution:
        from dsl.interpreter import execute
        from dsl.program import parse_program

        outputs = [[execute(parse_program(p), t.input) for p in self.programs] for t in task.test]
        return Solution(attempts=outputs, programs=list(self.programs))


class Votes:
    """A transduction stand-in: always answers the grid flipped left-right, then the input."""

    name = "votes"

    def solve(self, task: Task, budget: Budget) -> Solution:
        return Solution(attempts=[[np.ascontiguousarray(np.fliplr(t.input)), t.input] for t in task.test])


class Nothing:
    name = "nothing"

    def solve(self, task: Task, budget: Budget) -> Solution:
        return Solution(attempts=[[] for _ in task.test])


class Sleepy(Votes):
    """Answers like Votes after sleeping past any short budget."""

    name = "sleepy"

    def solve(self, task: Task, budget: Budget) -> Solution:
        time.sleep(30)
        return super().solve(task, budget)


@pytest.fixture(autouse=True)
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("Programs", "Votes", "Nothing", "Sleepy", "Niceness"):
        monkeypatch.setitem(SOLVERS, name.lower(), f"test_ensemble:{name}")
    monkeypatch.setitem(SOLVERS, "crash", "bench_solvers:Crash")
    monkeypatch.setitem(SOLVERS, "segfault", "bench_solvers:Segfault")


def _keys(grids: list[Grid]) -> list[bytes]:
    return [grid_key(g) for g in grids]


# -- ranking -----------------------------------------------------------------------------------------


def test_programs_are_rerun_to_tell_fitting_attempts_from_guesses() -> None:
    task = _task(lambda g: np.rot90(g, -1))
    answer = member_answer("search", Programs().solve(task, Budget()), task, transduction=False)
    test_in = task.test[0].input
    assert [t for _, t in answer.tiers[0]] == ["fit", "guess"]
    assert _keys([g for g, _ in answer.tiers[0]]) == _keys([_rot(test_in), np.fliplr(test_in)])
    assert answer.fit_programs == ["rotate_90(I)"] and answer.other_programs == ["flip_lr(I)"]


def test_a_member_whose_programs_are_not_dsl_is_trusted_on_its_train_consistent_count() -> None:
    task = _task()
    grid = task.test[0].input
    declared = Solution([[grid]], programs=["def transform(grid): ..."], stats={"train_consistent": 3})
    undeclared = Solution([[grid]], programs=["def transform(grid): ..."], stats={"train_consistent": 0})
    assert member_answer("coder", declared, task, False).tiers[0][0][1] == "fit"
    assert member_answer("coder", undeclared, task, False).tiers[0][0][1] == "guess"


def test_fit_ranks_above_votes_above_guesses_and_grids_are_not_repeated() -> None:
    a, b, c = _grid(), _grid(), _grid()
    answers = [
        MemberAnswer("search", [[(a, "fit"), (c, "guess")]]),
        MemberAnswer("neural", [[(b, "vote"), (a, "vote")]]),
    ]
    ranking = rank(answers, 1)
    assert _keys(ranking.attempts[0]) == _keys([a, b])
    assert ranking.sources[0] == [["search:fit", "neural:vote"], ["neural:vote"]]
    only_guesses = rank([MemberAnswer("search", [[(c, "guess")]]), answers[1]], 1)
    assert _keys(only_guesses.attempts[0]) == _keys([b, a])  # no fit: neural's votes, in its order


def test_a_transduction_grid_few_views_agree_on_is_a_hunch_and_ranks_below_guesses() -> None:
    task = _task(n_test=2)
    confident, lone, rest = _grid(), _grid(), _grid()
    stats = {"views_done": [8, 8], "votes": [[6, 1], [1, 1]]}
    neural = Solution([[confident, lone], [lone, rest]], stats=stats)
    answer = member_answer("neural", neural, task, transduction=True, agreement=0.5)
    assert [[t for _, t in per_test] for per_test in answer.tiers] == [["vote", "hunch"], ["hunch", "hunch"]]
    guess = _grid()
    search = MemberAnswer("search", [[(guess, "guess")], [(guess, "guess")]])
    ranking = rank([search, answer], 2)
    assert _keys(ranking.attempts[0]) == _keys([confident, guess])  # 6 of 8 views: above the guess
    assert _keys(ranking.attempts[1]) == _keys([guess, lone])  # 1 of 8: below it
    # with no vote counts (another transduction member) every grid is a vote
    bare = member_answer("votes", Solution([[lone], [rest]]), task, transduction=True)
    assert [[t for _, t in per_test] for per_test in bare.tiers] == [["vote"], ["vote"]]
    assert member_answer("neural", neural, task, True, agreement=0.1).count("hunch") == 0


def test_agreement_between_fitting_members_breaks_ties() -> None:
    a, b = _grid(), _grid()
    answers = [
        MemberAnswer("search", [[(a, "fit"), (b, "fit")]]),
        MemberAnswer("coder", [[(b, "fit")]]),
    ]
    assert _keys(rank(answers, 1).attempts[0]) == _keys([b, a])


def test_tier_order_is_configurable_and_tiers_can_be_interleaved() -> None:
    a, b, c, d = _grid(), _grid(), _grid(), _grid()
    answers = [
        MemberAnswer("search", [[(a, "guess"), (c, "guess")]]),
        MemberAnswer("neural", [[(b, "vote"), (d, "vote")]]),
    ]
    assert _keys(rank(answers, 1, ("fit", "guess", "vote")).attempts[0]) == _keys([a, c])
    assert _keys(rank(answers, 1, ("fit", "vote", "guess")).attempts[0]) == _keys([b, d])
    assert _keys(rank(answers, 1, ("fit", "vote|guess")).attempts[0]) == _keys([b, a])  # one each


# -- the solver --------------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_program_that_fits_comes_first_and_transduction_fills_the_second_attempt(workers: int) -> None:
    task = _task(lambda g: np.rot90(g, -1))
    solver = EnsembleSolver(members="programs,votes", transduction="votes", workers=workers)
    solution, _ = run_solver(solver, task, Budget(10))
    test_in = task.test[0].input
    # programs' second attempt (flip_lr) fits no train pair, so neural's first vote outranks it;
    # the vote happens to be the same grid, so the second slot goes to the next vote (the input)
    assert _keys(solution.attempts[0]) == _keys([_rot(test_in), np.fliplr(test_in)])
    assert solution.stats["attempt_sources"][0] == [["programs:fit"], ["votes:vote", "programs:guess"]]
    assert solution.stats["train_consistent"] == 1
    assert solution.programs[0] == "rotate_90(I)"
    members = solution.stats["members"]
    assert members["programs"]["status"] == members["votes"]["status"] == "ok"
    assert members["programs"]["answered"] == {"fit": 1, "guess": 1}
    assert solution.stats["mode"] == ("forked" if can_fork() else "in-process")


def test_transduction_answers_alone_when_no_program_fits() -> None:
    task = _task(np.transpose)
    solver = EnsembleSolver(members="nothing,votes", transduction="votes", workers=1)
    solution, _ = run_solver(solver, task, Budget(5))
    test_in = task.test[0].input
    assert _keys(solution.attempts[0]) == _keys([np.fliplr(test_in), test_in])
    assert solution.stats["train_consistent"] == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crashing_member_is_recorded_and_the_others_still_answer(workers: int) -> None:
    task = _task(lambda g: np.rot90(g, -1))
    solver = EnsembleSolver(members="crash,programs", workers=workers)
    solution, _ = run_solver(solver, task, Budget(10))
    assert _keys(solution.attempts[0])[0] == grid_key(_rot(task.test[0].input))
    crash = solution.stats["members"]["crash"]
    assert crash["status"] == "error" and "crashed on purpose" in crash["error"]


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_a_member_killed_by_a_signal_or_past_the_deadline_costs_only_its_answer() -> None:
    task = _task(lambda g: np.rot90(g, -1))
    solver = EnsembleSolver(members="segfault,sleepy,programs", workers=3, grace=0.2)
    start = time.monotonic()
    faulthandler.disable()  # the segfaulting child would print pytest's traceback dump
    try:
        solution, _ = run_solver(solver, task, Budget(1.0))
    finally:
        faulthandler.enable()
    assert time.monotonic() - start < 5  # the sleeper was killed, not waited for
    members = solution.stats["members"]
    assert members["segfault"]["status"] == "error" and "signal" in members["segfault"]["error"]
    assert members["sleepy"]["status"] == "timeout"
    assert members["programs"]["status"] == "ok"
    assert grid_key(solution.attempts[0][0]) == grid_key(_rot(task.test[0].input))


def test_parallel_one_by_one_and_in_process_runs_give_the_same_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a node budget the real search is deterministic, wherever and whenever it runs."""
    import synth.ensemble

    task = _task(lambda g: np.fliplr(g), n_test=2)
    answers, modes = [], []
    for workers, fork, background in ((2, True, ""), (1, True, ""), (1, True, None), (1, False, None)):
        monkeypatch.setattr(synth.ensemble, "can_fork", lambda fork=fork: fork)
        solver = EnsembleSolver(
            members="search,votes", transduction="votes", workers=workers, background=background
        )
        solution, _ = run_solver(solver, task, Budget(20, nodes=30))
        answers.append(
            ([_keys(a) for a in solution.attempts], solution.programs, solution.stats["attempt_sources"])
        )
        stats = solution.stats
        modes.append((stats["mode"], stats["workers"], stats["background"]))
    assert answers[0] == answers[1] == answers[2] == answers[3]
    assert answers[0][2][0][0][0] == "search:fit"
    assert modes == [("forked", 2, []), ("forked", 1, []), ("forked", 1, ["votes"]), ("in-process", 1, [])]


class Niceness(Nothing):
    """Reports the CPU priority (nice value) and the budget it was given."""

    name = "niceness"

    def solve(self, task: Task, budget: Budget) -> Solution:
        import os

        stats = {"nice": os.nice(0), "seconds": budget.seconds}
        return Solution(attempts=[[] for _ in task.test], stats=stats)


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_a_background_member_starts_at_once_with_the_whole_budget_at_the_lowest_priority() -> None:
    """One slot, two members: the slotted one runs at normal priority, the background one beside it."""
    import os

    from synth.ensemble_run import LOWEST_PRIORITY, run_forked

    members = {"slotted": Niceness(), "fallback": Niceness()}
    shares = {"slotted": 1.0, "fallback": 1.0}
    start = time.monotonic()
    runs = run_forked(members, _task(), Budget(4.0), 1, 0.2, shares, frozenset({"fallback"}))
    assert time.monotonic() - start < 3
    slotted, fallback = (r.solution.stats for r in runs)
    parent = os.nice(0)
    assert slotted["nice"] == parent and slotted["seconds"] == pytest.approx(4.0, abs=0.6)
    assert fallback["nice"] == min(parent + LOWEST_PRIORITY, 19)
    assert fallback["seconds"] == pytest.approx(4.0, abs=0.6)  # not split with the slotted member
    # without a background the one slot is shared out: the first member started gets half the time
    runs = run_forked(members, _task(), Budget(4.0), 1, 0.2, shares)
    assert runs[0].solution.stats["seconds"] == pytest.approx(2.0, abs=0.6)
    assert runs[1].solution.stats["nice"] == parent


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_one_by_one_a_member_past_its_share_is_killed_and_the_next_still_runs() -> None:
    from synth.ensemble_run import run_forked

    members = {"sleepy": Sleepy(), "programs": Programs()}
    start = time.monotonic()
    runs = run_forked(
        members, _task(lambda g: np.rot90(g, -1)), Budget(2.0), 1, 0.2, {"sleepy": 1.0, "programs": 1.0}
    )
    assert time.monotonic() - start < 3.5
    sleepy, programs = runs
    assert sleepy.status == "timeout" and sleepy.budget_seconds == pytest.approx(1.0, abs=0.1)
    assert programs.status == "ok" and programs.budget_seconds == pytest.approx(0.8, abs=0.2)


def test_a_member_that_cannot_be_built_here_is_left_out_and_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_NEURAL_CHECKPOINT", str(tmp_path / "no-checkpoint"))
    solver = EnsembleSolver(members="programs,neural", workers=1)
    solution, _ = run_solver(solver, _task(lambda g: np.rot90(g, -1)), Budget(5))
    neural = solution.stats["members"]["neural"]
    assert neural["status"] == "unavailable" and "no transduction checkpoint" in neural["error"]
    assert solution.stats["members"]["programs"]["status"] == "ok"
    with pytest.raises(SolverUnavailable, match="no member can run here"):
        EnsembleSolver(members="neural")
    # a member configured explicitly must build
    with pytest.raises(SolverUnavailable, match="no transduction checkpoint"):
        EnsembleSolver(members="programs,neural", neural={"checkpoint": str(tmp_path / "none")})


def test_coder_without_an_endpoint_is_skipped() -> None:
    solver = EnsembleSolver(members="programs,coder", workers=1)
    assert list(solver.members) == ["programs"]
    assert "coder" in solver.unavailable


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"members": "search,nope"}, "unknown member 'nope'"),
        ({"members": "ensemble"}, "unknown member 'ensemble'"),
        ({"members": ""}, "members is empty"),
        ({"split": "search=x"}, "not a number"),
        ({"split": "neural"}, "not MEMBER=WEIGHT"),
        ({"split": {"coder": 1}}, "not a member"),
        ({"split": "search=-1"}, "0 or more"),
        ({"workers": 0}, "workers must be"),
        ({"background": "coder"}, "not a member"),
        ({"background": 3}, "not a list of member names"),
        ({"grace": "soon"}, "grace must be"),
        ({"agreement": 1.5}, "agreement must be"),
        ({"tiers": "fit,vote"}, "tiers must order"),
        ({"tiers": "fit|vote|vote"}, "tiers must order"),
        ({"max_depth": 6}, "unknown option 'max_depth'"),
        ({"search": 6}, "must be a JSON object"),
    ],
)
def test_bad_options_are_one_line_errors(options: dict, message: str) -> None:
    with pytest.raises(SolverUnavailable, match=message):
        EnsembleSolver(**{"members": "search", **options})


def test_member_options_reach_the_member() -> None:
    solver = EnsembleSolver(members="search", search={"max_depth": 3})
    assert solver.members["search"].config.max_cost == 3.0
    with pytest.raises(SolverUnavailable, match="does not take these options"):
        EnsembleSolver(members="search", search={"no_such_knob": 1})


def test_serial_split_gives_the_smaller_share_first_and_passes_leftover_time_on() -> None:
    seen: dict[str, float] = {}

    class Recorder(Nothing):
        def __init__(self, name: str) -> None:
            self.name = name

        def solve(self, task: Task, budget: Budget) -> Solution:
            seen[self.name] = budget.seconds
            return super().solve(task, budget)

    from synth.ensemble_run import run_serial

    members = {"big": Recorder("big"), "small": Recorder("small")}
    runs = run_serial(members, _task(), Budget(8.0), {"big": 3.0, "small": 1.0})
    assert [r.name for r in runs] == ["big", "small"]  # reported in member order
    assert seen["small"] == pytest.approx(2.0, abs=0.05)
    assert seen["big"] == pytest.approx(8.0, abs=0.1)  # small finished at once: big gets the rest


def test_default_workers_divides_the_cores_among_the_bench_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    cores = len(os.sched_getaffinity(0))
    monkeypatch.setenv(BENCH_JOBS_ENV, "1")
    assert default_workers(2) == max(1, min(2, cores))
    monkeypatch.setenv(BENCH_JOBS_ENV, str(cores))
    assert default_workers(2) == 1


def test_the_bench_tells_its_workers_how_many_share_the_machine_and_restores_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from synth.ensemble_run import bench_jobs_env

    monkeypatch.delenv(BENCH_JOBS_ENV, raising=False)
    with bench_jobs_env(3):
        assert os.environ[BENCH_JOBS_ENV] == "3"
    assert BENCH_JOBS_ENV not in os.environ


# -- through the command line ------------------------------------------------------------------------


def test_solve_with_the_ensemble_reports_members_in_json(tmp_path: Path, capsys) -> None:
    task = _task(lambda g: np.rot90(g, -1))
    path = tmp_path / "rot.json"
    pairs = {
        part: [{"input": p.input.tolist(), "output": p.output.tolist()} for p in getattr(task, part)]
        for part in ("train", "test")
    }
    path.write_text(json.dumps(pairs))
    code = main(
        [
            "solve",
            str(path),
            "--solver",
            "ensemble",
            "--nodes",
            "30",
            "--json",
            "-o",
            "ensemble.members=search",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["score"] == 1.0
    assert out["stats"]["members"]["search"]["status"] == "ok"
    assert out["stats"]["attempt_sources"][0][0] == ["search:fit"]


def test_solve_with_a_bad_ensemble_option_exits_2_with_one_line(
    tmp_path: Path, capsys, examples_dir: Path
) -> None:
    code = main(
        [
            "solve",
            str(examples_dir / "rotate_quarter.json"),
            "--solver",
            "ensemble",
            "-o",
            "ensemble.members=nope",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "unknown member 'nope'" in err


def test_bench_runs_the_ensemble_in_its_workers(tmp_path: Path, examples_dir: Path, capsys) -> None:
    out = tmp_path / "run"
    task = str(examples_dir / "rotate_quarter.json")
    argv = ["bench", task, "--solvers", "ensemble", "--nodes", "30", "--budget", "20", "--out", str(out),
            "--no-progress", "-o", "ensemble.members=search"]  # fmt: skip
    assert main(argv) == 0
    [row] = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert row["status"] == "ok" and row["score"] == 1.0
    assert row["stats"]["members"]["search"]["status"] == "ok"
    assert row["funnel"]["candidate"] is True


@pytest.mark.parametrize("workers", [1, 2])
def test_coder_with_an_endpoint_ranks_its_train_consistent_programs_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    from llm_server import Reply, ScriptedLLM

    transpose = "```python\ndef transform(grid):\n    return [list(col) for col in zip(*grid)]\n```"
    task = _task(np.transpose)
    with ScriptedLLM(lambda request: Reply(transpose)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("SYNTH_CODER_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("SYNTH_CODER_SAMPLES", "2")
        solver = EnsembleSolver(members="coder,votes", transduction="votes", workers=workers)
        solution, _ = run_solver(solver, task, Budget(30))
    test_in = task.test[0].input
    assert _keys(solution.attempts[0]) == _keys([np.transpose(test_in), np.fliplr(test_in)])
    assert solution.stats["attempt_sources"][0] == [["coder:fit"], ["votes:vote"]]
    assert solution.stats["members"]["coder"]["stats"]["train_consistent"] == 2
    assert "zip(*grid)" in solution.programs[0]
