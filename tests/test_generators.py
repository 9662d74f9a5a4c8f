"""The pure generators: simple-ARC tasks, input grids, the typed program sampler and draft screening."""

from __future__ import annotations

import numpy as np
import pytest

from dsl.generators import (
    INPUT_GENERATORS,
    SIMPLE_TRANSFORMS,
    DraftConfig,
    ProgramSampler,
    SamplerConfig,
    make_draft,
    make_simple_task,
    program_depth,
)
from dsl.generators.simple import candidate_transforms, translate
from dsl.generators.tasks import REJECT_REASONS, degeneracy
from dsl.grid import is_valid_grid
from dsl.interpreter import execute
from dsl.program import format_program, parse_program, primitives_used
from dsl.registry import PRIMITIVES, Primitive
from dsl.task import task_to_json


@pytest.mark.parametrize("transform", SIMPLE_TRANSFORMS)
def test_simple_task_shape_and_program(transform: str) -> None:
    rng = np.random.default_rng(3)
    for _ in range(10):
        task = make_simple_task(transform, rng, task_id="t1")
        assert task.id == "t1" and len(task.train) == 3 and len(task.test) == 1
        assert task.category == transform
        program = parse_program(task.meta["program"])
        colours = set()
        for pair in (*task.train, *task.test):
            assert min(pair.input.shape) >= 3 and max(pair.input.shape) <= 12
            colours |= set(np.unique(pair.input).tolist())
            density = np.count_nonzero(pair.input) / pair.input.size
            assert 0 < density <= 0.5
            assert np.array_equal(execute(program, pair.input), pair.output)  # the stored program is right
        assert len(colours - {0}) == 1 and 0 in colours  # one foreground colour on black


@pytest.mark.parametrize("transform", SIMPLE_TRANSFORMS)
def test_simple_task_identifies_its_transform(transform: str) -> None:
    rng = np.random.default_rng(8)
    candidates = candidate_transforms()
    for _ in range(10):
        task = make_simple_task(transform, rng)
        fitting = [
            fn for fn in candidates.values() if all(np.array_equal(fn(p.input), p.output) for p in task.train)
        ]
        assert fitting
        assert all(np.array_equal(fn(task.test[0].input), task.test[0].output) for fn in fitting)


def test_simple_tasks_are_deterministic_and_translate_keeps_pixels() -> None:
    a = make_simple_task("translate", np.random.default_rng(42))
    b = make_simple_task("translate", np.random.default_rng(42))
    assert task_to_json(a) == task_to_json(b)
    for pair in a.train:
        assert np.count_nonzero(pair.input) == np.count_nonzero(pair.output)  # nothing shifted off
    with pytest.raises(ValueError, match="unknown simple transform"):
        make_simple_task("spin", np.random.default_rng(0))


def test_translate_matches_the_dsl_shift() -> None:
    grid = np.random.default_rng(0).integers(0, 10, (5, 7)).astype(np.uint8)
    for dy, dx in [(1, -2), (-3, 3), (0, 1), (4, 0)]:
        expected = execute(parse_program(f"shift(I, {dy}, {dx})"), grid) if "shift" in PRIMITIVES else None
        got = translate(grid, dy, dx)
        assert np.count_nonzero(got) <= np.count_nonzero(grid)
        if expected is not None:
            assert np.array_equal(got, expected)
    assert np.array_equal(translate(grid, 1, 0)[1:], grid[:-1])


@pytest.mark.parametrize("name", sorted(INPUT_GENERATORS))
def test_input_generators_make_valid_varied_grids(name: str) -> None:
    make = INPUT_GENERATORS[name]
    grids = [make(np.random.default_rng(i), (7, 9)) for i in range(20)]
    for g in grids:
        assert is_valid_grid(g) and g.shape == (7, 9) and g.dtype == np.uint8
    assert len({g.tobytes() for g in grids}) > 10
    assert np.array_equal(make(np.random.default_rng(1), (4, 4)), make(np.random.default_rng(1), (4, 4)))


def test_sampler_programs_have_the_asked_depth_and_type_check() -> None:
    sampler = ProgramSampler()
    rng = np.random.default_rng(0)
    seen: set[str] = set()
    for depth in (1, 2, 3):
        for _ in range(100):
            program = sampler.sample(rng, depth)
            assert program_depth(program) == depth
            text = format_program(program)
            assert parse_program(text) == program  # well typed, and prints back the same
            seen.update(primitives_used(program))
    assert seen <= set(PRIMITIVES)
    assert len(seen) >= min(20, len(PRIMITIVES) // 2)  # the sampler spreads over the table
    with pytest.raises(ValueError, match="depth"):
        sampler.sample(rng, 0)


def test_sampler_reads_the_registry_and_honours_exclusions(monkeypatch: pytest.MonkeyPatch) -> None:
    def paint_it(grid: np.ndarray) -> np.ndarray:
        return np.full_like(grid, 4)

    monkeypatch.setitem(
        PRIMITIVES, "paint_it", Primitive("paint_it", paint_it, ("Grid",), "Grid", 1.0, "test")
    )
    assert "paint_it" in ProgramSampler().primitive_names
    only = ProgramSampler(SamplerConfig(exclude=frozenset(set(PRIMITIVES) - {"paint_it", "flip_lr"})))
    assert only.primitive_names == ["flip_lr", "paint_it"]
    rng = np.random.default_rng(0)
    assert {format_program(only.sample(rng, 1)) for _ in range(30)} == {"flip_lr(I)", "paint_it(I)"}


def test_degeneracy_reasons() -> None:
    a = np.array([[1, 2], [0, 0]], dtype=np.uint8)
    b = np.array([[0, 3], [4, 0]], dtype=np.uint8)
    big = np.zeros((31, 2), dtype=np.uint8)
    assert degeneracy([a, b], [a.T, b.T], 30) == ""
    assert degeneracy([a, b], [a, b], 30) == "identity"
    assert degeneracy([a, a], [a.T, b], 30) == "identical_inputs"
    assert degeneracy([a, b], [b, b], 30) == "constant_output"
    assert degeneracy([a, b], [a * 0, b * 0 + 5], 30) == "constant_output"  # single-colour outputs
    assert degeneracy([a, b], [big, b], 30) == "output_too_large"
    assert degeneracy([a, b], [a.T, np.zeros((3, 3), np.uint8) + b[0, 1]], 2) == "output_too_large"


def test_drafts_are_screened_and_reproducible() -> None:
    sampler, config = ProgramSampler(), DraftConfig()
    reasons = []
    for i in range(150):
        draft = make_draft(np.random.default_rng(i), sampler, 1 + i % 3, config)
        if isinstance(draft, str):
            reasons.append(draft)
            continue
        again = make_draft(np.random.default_rng(i), sampler, 1 + i % 3, config)
        assert not isinstance(again, str) and again.program == draft.program
        assert len(draft.pairs) == config.n_train + 1 + config.n_spare
        for pair in draft.pairs:
            assert np.array_equal(execute(draft.program, pair.input), pair.output)
        assert degeneracy([p.input for p in draft.pairs], [p.output for p in draft.pairs], 30) == ""
    assert set(reasons) <= set(REJECT_REASONS)
    assert 10 < len(reasons) < 140


def test_draft_to_task_takes_spare_pairs_into_train() -> None:
    sampler = ProgramSampler(SamplerConfig(exclude=frozenset(set(PRIMITIVES) - {"flip_lr"})))
    draft = make_draft(np.random.default_rng(1), sampler, 1, DraftConfig(n_train=3, n_spare=2))
    assert not isinstance(draft, str)
    task = draft.to_task("x")
    assert task.meta == {"program": "flip_lr(I)", "depth": 1, "generator": draft.generator}
    assert task.category == "depth_1"
    longer = draft.to_task("x", n_train=5)
    assert len(task.train) == 3 and len(longer.train) == 5 and draft.max_train == 5
    assert longer.train[:3] == task.train
    assert np.array_equal(longer.test[0].input, task.test[0].input)
    assert all(not np.array_equal(p.input, task.test[0].input) for p in longer.train)
