"""The `search+prior` solver: the prior's probabilities become cost multipliers for the same search,
unknown primitives stay neutral, the prior never reads a test output, and the benchmark runs."""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

import synth.prior
from dsl.primitives import flip_lr
from dsl.task import Pair, Task, save_task
from model.checkpoint import save_checkpoint
from model.transformer import GridTransformer, ModelConfig
from synth.cli import main
from synth.prior import (
    CHECKPOINT_ENV,
    PriorModel,
    PriorSearchSolver,
    Weighting,
    primitive_frequencies,
)
from synth.search import SearchSolver
from synth.solver import Budget, SolverUnavailable, make_solver, run_solver

REPO_ROOT = Path(__file__).resolve().parent.parent
LABELS = ("flip_lr", "rotate_90", "transpose", "retired_primitive")  # the last one is no longer registered


def flip_task(seed: int, n_train: int = 3) -> Task:
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(n_train + 1):
        g = (rng.random((4, 5)) < 0.4).astype(np.uint8) * rng.integers(1, 10, (4, 5)).astype(np.uint8)
        g[0, 0] = 3
        pairs.append(Pair(g, flip_lr(g)))
    return Task(f"flip{seed}", tuple(pairs[:-1]), (pairs[-1],), meta={"program": "flip_lr(I)", "depth": 1})


def tiny_prior(directory: Path, favourite: str | None = None) -> Path:
    """A one-layer prior over LABELS; with `favourite`, its head is certain of that label alone."""
    torch.manual_seed(0)
    net = GridTransformer(ModelConfig(d_model=16, n_layer=1, n_head=2, d_ff=32, primitives=LABELS))
    if favourite is not None:
        with torch.no_grad():
            net.prior_head.weight.zero_()
            net.prior_head.bias.copy_(torch.tensor([8.0 if n == favourite else -8.0 for n in LABELS]))
    return save_checkpoint(net, directory, meta={"head": "prior"})


def test_weighting_maps_likely_primitives_to_cheap_ones_within_bounds() -> None:
    w = Weighting(neutral_p=0.1, floor=0.1, ceiling=2.0)
    assert w.multiplier(0.1) == pytest.approx(1.0)
    probabilities = [0.999, 0.9, 0.5, 0.1, 0.03, 1e-6]
    multipliers = [w.multiplier(p) for p in probabilities]
    assert multipliers == sorted(multipliers)
    assert multipliers[0] == 0.1 and multipliers[-1] == 2.0
    with pytest.raises(ValueError):
        Weighting(neutral_p=1.5)


def test_solver_follows_a_confident_prior_and_solves(tmp_path: Path) -> None:
    solver = make_solver("search+prior", checkpoint=str(tiny_prior(tmp_path / "ck", favourite="flip_lr")))
    task = flip_task(1)
    weights, probabilities = solver.weights(task)
    assert probabilities is not None and probabilities["flip_lr"] > 0.99
    assert weights["flip_lr"] == Weighting.floor and weights["rotate_90"] == Weighting.ceiling

    budget = Budget(seconds=30, nodes=200)
    solution, _ = run_solver(solver, task, budget)
    assert np.array_equal(solution.attempts[0][0], task.test[0].output)
    assert solution.programs[0] == "flip_lr(I)"
    assert solution.stats["prior_applied"] and solution.stats["prior_top"][0][0] == "flip_lr"
    uniform, _ = run_solver(SearchSolver(), task, budget)
    assert solution.stats["first_solution_node"] <= uniform.stats["first_solution_node"]


def test_primitives_outside_the_checkpoint_labels_stay_neutral(tmp_path: Path) -> None:
    solver = PriorSearchSolver(checkpoint=str(tiny_prior(tmp_path / "ck", favourite="rotate_90")))
    weights, _ = solver.weights(flip_task(2))
    assert set(weights) == set(LABELS)  # e.g. flip_ud: absent, so the search's default multiplier 1
    assert "flip_ud" not in weights
    # a label the DSL no longer has is harmless: the search only reads registered primitives
    solution, _ = run_solver(solver, flip_task(2), Budget(seconds=30, nodes=200))
    assert np.array_equal(solution.attempts[0][0], flip_task(2).test[0].output)


def test_the_prior_never_sees_test_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import model.prior

    prior = PriorModel(tiny_prior(tmp_path / "ck"))
    task = flip_task(3)
    other = replace(task, test=(Pair(task.test[0].input, np.full((2, 2), 7, dtype=np.uint8)),))
    seen: list[Task] = []
    encode = model.prior.encode_task
    monkeypatch.setattr(model.prior, "encode_task", lambda t, *a, **k: seen.append(t) or encode(t, *a, **k))
    assert prior.probabilities(task) == prior.probabilities(other)
    assert seen and all(p.output is None for t in seen for p in t.test)


def test_a_missing_or_wrong_checkpoint_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    with pytest.raises(SolverUnavailable, match="no prior checkpoint"):
        make_solver("search+prior", checkpoint=str(tmp_path / "nowhere"))
    save_checkpoint(
        GridTransformer(ModelConfig(d_model=16, n_layer=1, n_head=2, d_ff=32)),
        tmp_path / "td",
        meta={"head": "transduction"},
    )
    with pytest.raises(SolverUnavailable, match="not a prior"):
        make_solver("search+prior", checkpoint=str(tmp_path / "td"))
    save_task(flip_task(4), tmp_path / "task.json")
    code = main(
        [
            "solve",
            str(tmp_path / "task.json"),
            "--solver",
            "search+prior",
            "-o",
            f"search+prior.checkpoint={tmp_path / 'nowhere'}",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "no prior checkpoint" in err and len(err.strip().splitlines()) == 1


def test_cli_solves_with_a_checkpoint_option(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    ck = tiny_prior(tmp_path / "ck", favourite="flip_lr")
    save_task(flip_task(5), tmp_path / "task.json")
    argv = [
        "solve",
        str(tmp_path / "task.json"),
        "--solver",
        "search+prior",
        "--nodes",
        "200",
        "--json",
        "-o",
        f"search+prior.checkpoint={ck}",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["solver"] == "search+prior"


def test_frequencies_count_programs_with_smoothing() -> None:
    tasks = [flip_task(0), flip_task(1), replace(flip_task(2), meta={"program": "rotate_90(flip_lr(I))"})]
    freq = primitive_frequencies(tasks)
    assert freq["flip_lr"] == pytest.approx(4 / 5)
    assert freq["rotate_90"] == pytest.approx(2 / 5)
    assert freq["transpose"] == pytest.approx(1 / 5)


def test_without_a_checkpoint_the_error_says_how_to_train_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """No prior ships yet (the first one did not beat uniform order): the default must say what to do."""
    monkeypatch.delenv(CHECKPOINT_ENV, raising=False)
    monkeypatch.setattr(synth.prior, "DEFAULT_CHECKPOINT", Path("/nonexistent/prior"))
    with pytest.raises(SolverUnavailable, match="synth train --head prior"):
        make_solver("search+prior")


def test_benchmark_runs_at_tiny_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        "prior_vs_uniform", REPO_ROOT / "benchmarks/prior_vs_uniform.py"
    )
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "prior_vs_uniform", bench)  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    for seed in range(3):
        save_task(flip_task(seed), tmp_path / "train" / f"t{seed}.json")
    ck = tiny_prior(tmp_path / "ck", favourite="flip_lr")
    svg = tmp_path / "plot.svg"
    code = bench.main(
        [
            "--n",
            "2",
            "--depth",
            "1",
            "--seed",
            "77",
            "--nodes",
            "50",
            "--checkpoint",
            str(ck),
            "--train-data",
            str(tmp_path / "train"),
            "--svg",
            str(svg),
            "--jsonl",
            str(tmp_path / "runs.jsonl"),
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tasks"] == 2 and set(result) >= {"uniform", "frequency", "prior"}
    rows = [json.loads(line) for line in (tmp_path / "runs.jsonl").read_text().splitlines()]
    assert len(rows) == 6 and {r["method"] for r in rows} == {"uniform", "frequency", "prior"}
    assert svg.read_text().startswith("<svg") and svg.read_text().count("<polyline") == 3


def test_a_prior_can_start_from_a_transduction_checkpoint(tmp_path: Path) -> None:
    from model.train import init_from_checkpoint

    config = ModelConfig(d_model=16, n_layer=1, n_head=2, d_ff=32)
    torch.manual_seed(1)
    source = GridTransformer(config)
    save_checkpoint(source, tmp_path / "td", meta={"head": "transduction"})
    prior = GridTransformer(replace(config, primitives=LABELS))
    copied = init_from_checkpoint(prior, tmp_path / "td")
    assert copied == len(prior.state_dict()) - 2  # all but the prior head's weight and bias
    assert torch.equal(prior.tok.weight, source.tok.weight)
    assert prior.prior_head.weight.shape == (len(LABELS), 16)
