"""The `search+prior` solver: the prior's probabilities become cost multipliers for the same search,
unknown primitives stay neutral, the prior never reads a test output, and the benchmark runs."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

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
from synth.solver import Budget, Solution, SolverUnavailable, make_solver, run_solver

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
            net.prior_head.bias.copy_(torch.tensor([16.0 if n == favourite else -16.0 for n in LABELS]))
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


def test_the_default_weighting_only_promotes_and_at_most_twofold() -> None:
    """Off its training distribution (ARC) the prior must not push a needed primitive back."""
    w = Weighting()
    multipliers = [w.multiplier(p) for p in (1e-9, 1e-4, 0.01, 0.05, 0.2, 0.9, 1.0)]
    assert all(0.5 <= m <= 1.0 for m in multipliers)
    assert multipliers[:3] == [1.0, 1.0, 1.0] and multipliers[-1] == 0.5
    assert multipliers == sorted(multipliers, reverse=True)


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
    """Without the bundled prior (or with it deleted), the default must say what to do."""
    monkeypatch.delenv(CHECKPOINT_ENV, raising=False)
    monkeypatch.setattr(synth.prior, "DEFAULT_CHECKPOINT", Path("/nonexistent/prior"))
    with pytest.raises(SolverUnavailable, match="synth train --head prior"):
        make_solver("search+prior")


def load_benchmark(monkeypatch: pytest.MonkeyPatch) -> Any:
    spec = importlib.util.spec_from_file_location(
        "prior_vs_uniform", REPO_ROOT / "benchmarks/prior_vs_uniform.py"
    )
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "prior_vs_uniform", bench)  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    return bench


def test_benchmark_runs_at_tiny_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = load_benchmark(monkeypatch)
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


def test_multi_step_ratios_leave_out_tasks_a_single_primitive_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    """A task uniform solves at the root ties every order at node 1: the multi-step ratios drop it."""
    bench = load_benchmark(monkeypatch)

    def run(task: str, method: str, node: int | None, seconds: float | None) -> Any:
        return bench.Run(task, method, node, seconds, 1.0, node or 100, True)

    runs = [
        run("easy", "uniform", 1, 0.001),
        run("easy", "prior", 1, 0.01),
        run("inferred", "uniform", 0, 0.001),
        run("inferred", "prior", 0, 0.01),
        run("missed", "uniform", None, None),
        run("missed", "prior", None, None),
        run("deep", "uniform", 99, 1.0),
        run("deep", "prior", 9, 0.1),
    ]
    assert bench.multi_step_tasks(runs) == {"deep", "missed"}
    block = bench.summary(runs, 100)["prior"]
    assert block["vs_uniform"]["nodes_ratio"] == pytest.approx((10 * 1 * 1) ** (1 / 3))
    multi = block["vs_uniform_multi_step"]
    assert multi["tasks"] == 2 and multi["both_solved"] == 1
    assert multi["nodes_ratio_censored"] == pytest.approx(math.sqrt(10 * 1))
    assert multi["nodes_ratio"] == pytest.approx(10.0) and multi["seconds_ratio"] == pytest.approx(10.0)


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


# The pair prior: the head compares each train pair's input with its output.

PAIR_PRIOR = ModelConfig(
    d_model=32, n_layer=0, n_head=2, d_ff=64, primitives=LABELS, prior_pairs=2, frames=False
)


def rotate_task(seed: int) -> Task:
    flipped = flip_task(seed)
    pairs = tuple(Pair(p.input, np.ascontiguousarray(np.rot90(p.input, -1))) for p in flipped.train)
    test = tuple(Pair(p.input, np.ascontiguousarray(np.rot90(p.input, -1))) for p in flipped.test)
    return Task(f"rot{seed}", pairs, test, meta={"program": "rotate_90(I)", "depth": 1})


def test_pair_features_measure_what_a_pair_does() -> None:
    from model.pair_features import N_PAIR_FEATURES, SYMMETRIES, pair_features

    flip, rot = flip_task(0).train[0], rotate_task(0).train[0]
    f_flip, f_rot = pair_features(flip), pair_features(rot)
    assert f_flip.shape == (N_PAIR_FEATURES,)
    symmetry = slice(N_PAIR_FEATURES - 2 - len(SYMMETRIES), N_PAIR_FEATURES - 2)
    assert f_flip[symmetry][4] == 1.0 and f_rot[symmetry][1] == 1.0  # flip_lr, rotate_90 match exactly
    assert f_flip[6] == 1.0 and f_rot[6] == 0.0 and f_rot[7] == 1.0  # same shape vs. swapped (4x5)
    crop = Pair(flip.input, flip.input[1:3, 1:4])
    assert pair_features(crop)[-2] == 1.0 and pair_features(crop)[-1] == 0.0  # output is a window


def test_the_pair_prior_encodes_at_most_its_pairs_and_no_test_input() -> None:
    from model.tokenizer import ROLE_TEST_INPUT, encode_task

    task = flip_task(1, n_train=4)
    enc = encode_task(task, 0, PAIR_PRIOR.tokenizer(), with_targets=False)
    assert not (enc.roles == ROLE_TEST_INPUT).any()
    assert set(enc.pairs.tolist()) <= {0, 1, 8}  # two train pairs and the SHAPE token's slot
    assert enc.pair_features is not None and enc.pair_features.shape[0] == 2


def test_the_pair_prior_tells_tasks_apart_after_brief_training() -> None:
    """What the first, mean-pooled prior never did: different tasks, different orders."""
    from model.data import ExampleConfig, make_example
    from model.train import head_batch

    torch.manual_seed(0)
    net = GridTransformer(PAIR_PRIOR)
    opt = net.configure_optimizer(3e-3)
    rng = np.random.default_rng(0)
    tasks = [make(seed) for seed in range(8) for make in (flip_task, rotate_task)]
    encs = [make_example(t, rng, ExampleConfig(), PAIR_PRIOR.tokenizer(), LABELS) for t in tasks]
    batch = head_batch(encs, "prior", len(LABELS), torch.device("cpu"))
    for _ in range(60):
        _, loss = net(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
    from model.prior import primitive_probabilities

    flip = primitive_probabilities(net.eval(), flip_task(100))
    rot = primitive_probabilities(net, rotate_task(100))
    assert flip["flip_lr"] > flip["rotate_90"] and rot["rotate_90"] > rot["flip_lr"]


def test_colour_augmentation_keeps_the_labels_and_a_symmetry_conjugates_them() -> None:
    from dsl.augment import Augmentation
    from model.data import prior_target

    task = flip_task(2)
    plain = prior_target(task, LABELS)
    coloured = prior_target(task, LABELS, Augmentation(symmetry=0, colors=5, train_order=(0, 1, 2)))
    assert np.array_equal(plain, coloured) and plain.tolist() == [1, 0, 0, 0]
    rotated = prior_target(task, LABELS, Augmentation(symmetry=1, colors=None, train_order=(0, 1, 2)))
    assert rotated[LABELS.index("rotate_90")] == 1  # rotate_90(flip_lr(rotate_270(I)))


def test_prior_configs_written_before_the_pair_head_load_as_the_mean_pooled_head(tmp_path: Path) -> None:
    ck = tiny_prior(tmp_path / "old", favourite="transpose")
    config = json.loads((ck / "config.json").read_text())
    for name in ("prior_pairs", "frames"):
        del config["model"][name]
    (ck / "config.json").write_text(json.dumps(config))
    prior = PriorModel(ck)
    assert isinstance(prior.model.prior_head, torch.nn.Linear) and prior.model.cfg.frames
    probabilities = prior.probabilities(flip_task(6))
    assert max(probabilities, key=probabilities.get) == "transpose"


def test_a_pair_prior_checkpoint_round_trips_through_the_solver(tmp_path: Path) -> None:
    torch.manual_seed(2)
    net = GridTransformer(PAIR_PRIOR)
    with torch.no_grad():
        net.prior_head.out.weight.zero_()
        net.prior_head.out.bias.copy_(torch.tensor([8.0 if n == "flip_lr" else -8.0 for n in LABELS]))
    ck = save_checkpoint(net, tmp_path / "pairs", meta={"head": "prior"})
    solver = PriorSearchSolver(checkpoint=str(ck))
    weights, probabilities = solver.weights(flip_task(7))
    assert probabilities["flip_lr"] > 0.99 and weights["flip_lr"] == solver.weighting.floor
    solution, _ = run_solver(solver, flip_task(7), Budget(seconds=30, nodes=200))
    assert solution.programs[0] == "flip_lr(I)"


def test_synth_train_writes_a_pair_prior_the_solver_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    for seed in range(3):
        save_task(flip_task(seed), tmp_path / "tasks" / f"t{seed}.json")
    out = tmp_path / "prior"
    argv = [
        "train",
        "--head",
        "prior",
        "--preset",
        "prior",
        "--data",
        str(tmp_path / "tasks"),
        "--steps",
        "3",
    ]
    code = main([*argv, "--batch-size", "2", "--threads", "1", "--no-progress", "--out", str(out)])
    assert code == 0 and json.loads(capsys.readouterr().out)["step"] == 3
    config = json.loads((out / "config.json").read_text())["model"]
    assert config["prior_pairs"] == 3 and config["n_layer"] == 0 and not config["frames"]
    probabilities = PriorModel(out).probabilities(flip_task(9))
    assert probabilities is not None and "flip_lr" in probabilities
    assert main([*argv, "--prior-pairs", "-1", "--out", str(tmp_path / "bad"), "--no-progress"]) == 2
    assert "--prior-pairs" in capsys.readouterr().err


def test_held_out_metrics_compare_the_prior_with_the_best_task_blind_one() -> None:
    from model.train import prior_metrics, recall_at_k

    logits = torch.tensor([[3.0, 2.0, 1.0], [0.0, 1.0, 2.0]])
    target = torch.tensor([[0.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    assert recall_at_k(logits, target) == [0.5]  # the row without labels has no recall
    torch.manual_seed(0)
    tasks = [flip_task(0), rotate_task(0), rotate_task(1)]
    with torch.no_grad():
        metrics = prior_metrics(GridTransformer(PAIR_PRIOR).eval(), tasks, PAIR_PRIOR.tokenizer(), 8)
    # the constant prior ranks rotate_90, the commonest label, first: right twice, wrong on the flip
    assert metrics["constant_recall_at_k"] == pytest.approx(2 / 3)
    rates = torch.tensor([1 / 3, 2 / 3])  # flip_lr and rotate_90; the other labels never occur
    expected = -(rates * rates.log() + (1 - rates) * (1 - rates).log()).sum() / len(LABELS)
    assert metrics["constant_loss"] == pytest.approx(float(expected), abs=1e-3)


def test_the_shortlist_keeps_what_the_prior_believes_in_and_what_it_does_not_know(tmp_path: Path) -> None:
    checkpoint = str(tiny_prior(tmp_path / "ck", favourite="rotate_90"))
    solver = PriorSearchSolver(checkpoint=checkpoint, shortlist_share=0.2)
    _, probabilities = solver.weights(flip_task(4))
    shortlist = solver.shortlist(probabilities)
    assert shortlist is not None
    assert "rotate_90" in shortlist and "flip_ud" in shortlist  # believed in; not among the labels
    assert "flip_lr" not in shortlist and "transpose" not in shortlist  # doubted
    assert not {"rank_colors", "unrank_colors"} & set(shortlist)  # views wrap programs in those
    assert PriorSearchSolver(prior=solver.prior).shortlist(probabilities) is None  # off by default
    assert (
        PriorSearchSolver(prior=solver.prior, shortlist_share=0.2, shortlist_p=1e-9).shortlist(probabilities)
        is None
    )  # nothing left out
    with pytest.raises(SolverUnavailable):
        PriorSearchSolver(prior=solver.prior, shortlist_share=1.0)


def test_the_full_search_after_the_shortlist_ranks_a_cheaper_program_first(tmp_path: Path) -> None:
    """Doubting flip_lr, the shortlist finds a dearer equivalent (rotate_180 of flip_ud, neither
    labelled); the full search then finds flip_lr itself, and its program ranks first."""
    checkpoint = str(tiny_prior(tmp_path / "ck", favourite="rotate_90"))
    solver = PriorSearchSolver(checkpoint=checkpoint, shortlist_share=0.2)
    task = flip_task(5)
    solution, _ = run_solver(solver, task, Budget(seconds=30, nodes=400))
    assert solution.stats["shortlist_found"] and solution.stats["shortlist"] > 0
    assert solution.programs[0] == "flip_lr(I)"
    assert np.array_equal(solution.attempts[0][0], task.test[0].output)


def test_a_ladder_counts_the_first_program_from_its_start() -> None:
    from synth.prior import _ladder

    def run(found: int | None, nodes: int, grid: int) -> Solution:
        stats = {name: 1 for name in ("unique_states", "children_tried", "candidates_found", "compositions")}
        stats.update(nodes_expanded=nodes, seconds=float(nodes), first_solution_node=found)
        stats.update(first_solution_seconds=None if found is None else float(found))
        return Solution([[np.full((1, 1), grid, dtype=np.uint8)]], [f"p{grid}"], stats)

    missed_then_found = _ladder([run(None, 40, 1), run(5, 100, 2)])
    assert missed_then_found.stats["first_solution_node"] == 45
    assert missed_then_found.stats["first_solution_seconds"] == 45.0
    assert missed_then_found.stats["nodes_expanded"] == 140 and not missed_then_found.stats["shortlist_found"]
    assert [int(g[0, 0]) for g in missed_then_found.attempts[0]] == [2, 1]  # the full search's first
    found_then_missed = _ladder([run(3, 40, 1), run(None, 100, 2)])
    assert found_then_missed.stats["first_solution_node"] == 3 and found_then_missed.stats["shortlist_found"]
    assert found_then_missed.programs == ["p1", "p2"]


def test_the_benchmark_oracle_believes_exactly_the_generating_program(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = load_benchmark(monkeypatch)
    probabilities = bench.ProgramOracle(LABELS).probabilities(flip_task(0))
    assert probabilities["flip_lr"] == 0.99
    assert max(p for name, p in probabilities.items() if name != "flip_lr") < 0.01
    ck = tiny_prior(tmp_path / "ck", favourite="rotate_90")  # only its labels matter to the oracle
    args = ["--n", "2", "--depth", "1", "--seed", "77", "--nodes", "50", "--checkpoint", str(ck)]
    assert bench.main([*args, "--methods", "uniform,oracle", "--shortlist-share", "0.2"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["oracle"]["found"] == 2 and result["shortlist"]["shortlist_share"] == 0.2


def load_script(name: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / f"benchmarks/{name}.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def test_found_programs_become_prior_training_tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from model.data import load_folder

    found = load_script("found_programs", monkeypatch)
    for seed in range(8):
        save_task(replace(flip_task(seed), meta={}), tmp_path / "tasks" / f"flip{seed}.json")
    run = tmp_path / "run"
    run.mkdir()
    (run / "run.json").write_text(json.dumps({"sources": [str(tmp_path / "tasks")]}))
    rows = [
        {"task": "flip0", "solver": "search", "score": 1.0, "program": "flip_lr(I)"},
        {"task": "flip1", "solver": "search", "score": 0.0, "program": "rotate_90(I)"},  # wrong: skipped
        {"task": "flip2", "solver": "search", "score": 1.0, "program": "flip_lr(I"},  # unparseable: skipped
        {"task": "flip3", "solver": "neural", "score": 1.0, "program": None},  # no program
        {"task": "flip3", "solver": "search", "score": 1.0, "program": "flip_ud(rotate_180(I))"},
    ] + [{"task": f"flip{i}", "solver": "search", "score": 1.0, "program": "flip_lr(I)"} for i in range(4, 8)]
    (run / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert found.main([str(run), "--out", str(tmp_path / "out")]) == 0
    tasks = load_folder(tmp_path / "out")
    programs = {t.id: t.meta["program"] for t in tasks}
    assert programs == {"flip0": "flip_lr(I)", "flip3": "flip_ud(rotate_180(I))"} | {
        f"flip{i}": "flip_lr(I)" for i in range(4, 8)
    }
    assert all(p.output is not None for t in tasks for p in t.train + t.test)
    # two halves partition the kept tasks; --repeat weights them
    halves = []
    for k in range(2):
        assert (
            found.main([str(run), "--out", str(tmp_path / f"h{k}"), "--split", f"{k}/2", "--repeat", "3"])
            == 0
        )
        halves.append([t.id for t in load_folder(tmp_path / f"h{k}")])
    assert set(halves[0]) | set(halves[1]) == set(programs) and not set(halves[0]) & set(halves[1])
    assert halves[0] and halves[1]
    assert all(len(h) == 3 * len(set(h)) for h in halves)


def test_found_programs_refuses_an_evaluation_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = load_script("found_programs", monkeypatch)
    (tmp_path / "run.json").write_text(json.dumps({"sources": ["arc1/evaluation"]}))
    (tmp_path / "results.jsonl").write_text("")
    assert found.main([str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_prior_recall_counts_unknown_primitives_as_missed_and_ignores_view_wrappers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = load_script("prior_recall", monkeypatch)
    programs = ["flip_lr(I)", "upscale(flip_lr(I), 2)", "unrank_colors(flip_lr(rank_colors(I)), I)"]
    tasks = [replace(flip_task(i), meta={"program": p}) for i, p in enumerate(programs)]
    prior = PriorModel(tiny_prior(tmp_path / "ck", favourite="flip_lr"))
    out = script.recall(prior, tasks, tops=(1, 10))
    assert out["tasks"] == 3
    assert out["all_top1"] == pytest.approx(2 / 3, abs=1e-3)
    assert out["share_top1"] == pytest.approx((1 + 0.5 + 1) / 3, abs=1e-3)
    assert out["all_top10"] == pytest.approx(2 / 3, abs=1e-3)  # upscale has no label: missed at any k


def test_by_default_a_wrong_prior_reorders_a_level_but_never_enlarges_it(tmp_path: Path) -> None:
    """Certain of rotate_90 on a flip task: the prior's weights order the level, the states it holds
    are `search`'s; only with weights_deepen do promoted chains crowd into it."""
    prior = PriorModel(tiny_prior(tmp_path / "ck", favourite="rotate_90"))
    task = flip_task(6)
    options = {"max_depth": 2, "stop_when_settled": False, "occam_margin": None}
    budget = Budget(seconds=60, nodes=100_000)
    plain, _ = run_solver(SearchSolver(**options), task, budget)
    ordered, _ = run_solver(PriorSearchSolver(prior=prior, **options), task, budget)
    deepened, _ = run_solver(PriorSearchSolver(prior=prior, weights_deepen=True, **options), task, budget)
    assert ordered.stats["unique_states"] == plain.stats["unique_states"]
    assert deepened.stats["unique_states"] > plain.stats["unique_states"]
    assert ordered.programs[0] == plain.programs[0] == "flip_lr(I)"
    assert not ordered.stats["weights_deepen"] and deepened.stats["weights_deepen"]
    # the bounds may count the weights of the prior's top few only: here rotate_90 is all it promotes
    top, _ = run_solver(PriorSearchSolver(prior=prior, deepen_top=1, **options), task, budget)
    assert top.stats["unique_states"] == deepened.stats["unique_states"]
    assert PriorSearchSolver(prior=prior, deepen_top=1).bound_weights(
        {"rotate_90": 0.5, "flip_lr": 1.0}, {"rotate_90": 0.99, "flip_lr": 0.01}
    ) == {"rotate_90": 0.5}
    with pytest.raises(SolverUnavailable):
        PriorSearchSolver(prior=prior, deepen_top=-1)
