"""The lockstep search and the `search` solver: solves the "simple ARC", prunes, ranks, dedupes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from dsl.grid import grid_key, grids_equal
from dsl.program import format_program, parse_program, program_cost
from dsl.registry import PRIMITIVES
from dsl.task import Pair, Task
from synth.inference import derived_options, infer_color_map, task_colors
from synth.inference_local import infer_local_rule
from synth.search import SearchConfig, SearchResult, SearchSolver, search
from synth.search_shapes import predict_shapes
from synth.solver import Budget, hide_test_outputs, make_solver

Transform = Callable[[np.ndarray], np.ndarray]

SYMMETRIES: dict[str, Transform] = {
    "rotate_90": lambda g: np.rot90(g, -1),
    "rotate_180": lambda g: np.rot90(g, 2),
    "rotate_270": lambda g: np.rot90(g, 1),
    "flip_lr": lambda g: g[:, ::-1],
    "flip_ud": lambda g: g[::-1, :],
    "transpose": lambda g: g.T,
    "anti_transpose": lambda g: g[::-1, ::-1].T,
}

# fixed node budget: deterministic, and well under a second on these tasks
SIMPLE_BUDGET = Budget(seconds=60.0, nodes=10)


def sparse_grid(
    rng: np.random.Generator, h: int, w: int, color: int, region: tuple[slice, slice]
) -> np.ndarray:
    """A black grid with pixels of one colour inside `region`, density 10-35%, never empty."""
    grid = np.zeros((h, w), dtype=np.uint8)
    sub = grid[region]
    density = rng.uniform(0.10, 0.35)
    sub[rng.random(sub.shape) < density] = color
    if not sub.any():
        sub[rng.integers(sub.shape[0]), rng.integers(sub.shape[1])] = color
    return grid


def shifted(grid: np.ndarray, dy: int, dx: int) -> np.ndarray:
    out = np.zeros_like(grid)
    h, w = grid.shape
    out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = grid[
        max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
    ]
    return out


def simple_task(rng: np.random.Generator, kind: str) -> Task:
    """One "simple ARC" task: 3 train pairs + 1 test pair under a symmetry or a translation.

    Translations keep every pixel inside the grid (pixels are drawn only where the shift keeps
    them), so the offsets can be read off the train pairs.
    """
    color = int(rng.integers(1, 10))
    if kind == "translate":
        dy, dx = 0, 0
        while dy == 0 and dx == 0:
            dy, dx = (int(v) for v in rng.integers(-3, 4, size=2))
    pairs = []
    for _ in range(4):
        if kind == "translate":
            h, w = int(rng.integers(abs(dy) + 3, 13)), int(rng.integers(abs(dx) + 3, 13))
            region = (slice(max(-dy, 0), h - max(dy, 0)), slice(max(-dx, 0), w - max(dx, 0)))
            grid = sparse_grid(rng, h, w, color, region)
            out = shifted(grid, dy, dx)
        else:
            h, w = (int(v) for v in rng.integers(3, 13, size=2))
            grid = sparse_grid(rng, h, w, color, (slice(None), slice(None)))
            out = np.ascontiguousarray(SYMMETRIES[kind](grid))
        pairs.append(Pair(grid, out))
    return Task(id=f"simple-{kind}", train=tuple(pairs[:3]), test=(pairs[3],), category="simple")


def solved(task: Task, budget: Budget = SIMPLE_BUDGET, **options: object) -> bool:
    solution = SearchSolver(**options).solve(hide_test_outputs(task), budget)
    truth = task.test[0].output
    return any(grids_equal(g, truth) for g in solution.attempts[0][:2])


@pytest.mark.parametrize("kind", [*SYMMETRIES, "translate"])
def test_solves_every_simple_arc_task(kind: str) -> None:
    rng = np.random.default_rng(sorted([*SYMMETRIES, "translate"]).index(kind))
    tasks = [simple_task(rng, kind) for _ in range(10)]
    failed = [i for i, t in enumerate(tasks) if not solved(t)]
    assert failed == []


def test_generated_translations_keep_every_pixel() -> None:
    rng = np.random.default_rng(5)
    for _ in range(20):
        task = simple_task(rng, "translate")
        for pair in task.train + task.test:
            assert np.count_nonzero(pair.input) == np.count_nonzero(pair.output) > 0


def asymmetric_grid() -> np.ndarray:
    return np.array([[1, 2, 0], [0, 3, 0], [0, 0, 0], [4, 0, 0]], dtype=np.uint8)


def test_state_reached_twice_is_expanded_once() -> None:
    grid = asymmetric_grid()
    target = np.rot90(grid, 2).copy()
    config = SearchConfig(max_cost=8, primitives=("rotate_90",))
    result = search([grid], [target], [grid.T.copy()], Budget(60), config=config)
    # four rotations are the only states: rotate_90 applied four times returns to I and stops there
    assert result.stats.unique_states == 4
    assert result.stats.nodes_expanded == 4
    assert result.stats.stopped_by == "exhausted"
    assert [format_program(p) for p in result.programs] == ["rotate_90(rotate_90(I))"]


def test_symmetry_group_collapses_to_eight_states() -> None:
    grid = asymmetric_grid()
    config = SearchConfig(max_cost=4, primitives=tuple(SYMMETRIES), stop_when_settled=False)
    result = search([grid], [grid[::-1].copy()], [], Budget(60), config=config)
    assert result.stats.unique_states == 8
    assert result.stats.children_tried == 8 * 7  # every state expanded once, 7 children each


def test_shorter_program_ranks_first_and_predictions_are_distinct() -> None:
    # inputs symmetric left-right: flip_ud(I) and rotate_180(I) agree on train, not on the test input
    half = np.array([[3, 3], [0, 5], [0, 5]], np.uint8)
    train = [np.array([[1, 0, 1], [2, 2, 2], [0, 0, 0]], dtype=np.uint8), np.hstack([half, half[:, ::-1]])]
    outputs = [np.ascontiguousarray(g[::-1]) for g in train]
    test = asymmetric_grid()
    config = SearchConfig(max_cost=3, primitives=("rotate_90", "flip_lr", "flip_ud"))
    result = search(train, outputs, [test], Budget(60), config=config)
    texts = [format_program(p) for p in result.programs]
    assert texts[0] == "flip_ud(I)"
    assert "rotate_90(rotate_90(I))" in texts
    costs = [program_cost(p) for p in result.programs]
    assert costs == sorted(costs)
    keys = {grid_key(preds[0]) for preds in result.predictions}
    assert len(keys) == len(texts)  # deduped by test prediction
    attempts = result.attempts(1)
    assert len(attempts[0]) == 2 and not grids_equal(attempts[0][0], attempts[0][1])


def test_node_budget_is_deterministic() -> None:
    rng = np.random.default_rng(11)
    task = simple_task(rng, "translate")
    budget = Budget(seconds=1e6, nodes=25)
    runs = [SearchSolver().solve(hide_test_outputs(task), budget) for _ in range(2)]
    assert runs[0].programs == runs[1].programs
    for key in ("nodes_expanded", "unique_states", "children_tried", "candidates_found"):
        assert runs[0].stats[key] == runs[1].stats[key]
    assert runs[0].stats["nodes_expanded"] == 25
    assert runs[0].stats["stopped_by"] == "nodes"


def test_color_map_is_inferred_from_train_pairs() -> None:
    a = np.array([[1, 2], [0, 1]], dtype=np.uint8)
    b = np.array([[3, 2], [0, 3]], dtype=np.uint8)
    assert infer_color_map([a], [b]) == ["0323456789"]
    assert infer_color_map([a], [a]) == []  # identity is no inference
    clash = np.array([[3, 2], [0, 4]], dtype=np.uint8)
    assert infer_color_map([a], [clash]) == []  # colour 1 would go to 3 and to 4
    assert infer_color_map([a], [b[:1]]) == []  # shapes differ


@pytest.mark.skipif("map_colors" not in PRIMITIVES, reason="map_colors not registered yet")
def test_search_finishes_with_an_inferred_color_map() -> None:
    rng = np.random.default_rng(3)
    perm = {0: 0, 1: 7, 2: 4, 3: 1}
    inputs = [rng.integers(0, 4, size=(4, 5)).astype(np.uint8) for _ in range(4)]
    outputs = [np.vectorize(perm.get)(np.rot90(g, -1)).astype(np.uint8) for g in inputs]
    config = SearchConfig(max_cost=4, primitives=("rotate_90", "map_colors"))
    result = search(inputs[:3], outputs[:3], inputs[3:], Budget(60), config=config)
    assert format_program(result.programs[0]) == "map_colors(rotate_90(I), '0741456789')"
    assert grids_equal(result.predictions[0][0], outputs[3])


def test_an_inferred_one_step_program_is_found_on_the_inputs_before_deepening_reaches_its_cost() -> None:
    """A colour map changing five colours costs 1 + 5 * log2(10) * 0.1 > 2: beyond the first deepening
    level. Checked when the inputs are expanded, it is found on the first node, not after the whole
    level 2 (a budget that ends inside level 2 used to lose it)."""
    rng = np.random.default_rng(5)
    perm = np.array([0, 2, 3, 4, 5, 1, 6, 7, 8, 9], dtype=np.uint8)
    inputs = [rng.integers(0, 6, size=(5, 5)).astype(np.uint8) for _ in range(4)]
    outputs = [perm[g] for g in inputs]
    config = SearchConfig(max_cost=8.0, deepen_from=2.0, primitives=("map_colors", "flip_lr", "rotate_90"))
    result = search(inputs[:3], outputs[:3], inputs[3:], Budget(60, nodes=1), config=config)
    assert result.stats.first_solution_node == 1 and result.stats.cost_bound == 2.0
    assert format_program(result.programs[0]) == "map_colors(I, '0234516789')"
    assert grids_equal(result.predictions[0][0], outputs[3])


def _outline(g: np.ndarray) -> np.ndarray:
    """Paint 4 on the background cells edge-adjacent to a 1: a rule of each cell's cross."""
    padded = np.pad(g, 1)
    near = (padded[:-2, 1:-1] == 1) | (padded[2:, 1:-1] == 1)
    near |= (padded[1:-1, :-2] == 1) | (padded[1:-1, 2:] == 1)
    return np.where((g == 0) & near, 4, g).astype(np.uint8)


def test_local_rule_is_inferred_and_must_cover_the_test_neighbourhoods() -> None:
    a = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.uint8)
    rule = infer_local_rule([a], [_outline(a)], [a])
    assert rule and rule[0].startswith("n:")
    assert grids_equal(PRIMITIVES["apply_local_rule"].fn(a, rule[0]), _outline(a))
    assert infer_local_rule([a], [a], [a]) == []  # nothing changes: no rule
    assert infer_local_rule([a], [_outline(a)[:2]], [a]) == []  # shapes differ
    unseen = np.zeros((3, 3), dtype=np.uint8)
    unseen[1, 1] = 2  # a figure of a colour never seen: it keeps its colour, as every train figure does
    rule = infer_local_rule([a], [_outline(a)], [unseen])
    assert rule and PRIMITIVES["apply_local_rule"].fn(unseen, rule[0])[1, 1] == 2


def test_search_finishes_with_an_inferred_local_rule() -> None:
    rng = np.random.default_rng(5)
    inputs = [(rng.random((9, 10)) < 0.3).astype(np.uint8) for _ in range(6)]
    outputs = [_outline(np.rot90(g, -1).copy()) for g in inputs]
    config = SearchConfig(max_cost=12, primitives=("rotate_90", "apply_local_rule"))
    result = search(inputs[:5], outputs[:5], inputs[5:], Budget(60), config=config)
    assert result.programs, "no program found"
    assert format_program(result.programs[0]).startswith("apply_local_rule(rotate_90(I), 'x")
    assert grids_equal(result.predictions[0][0], outputs[5])
    program = parse_program(format_program(result.programs[0]))
    from dsl.interpreter import execute

    assert grids_equal(execute(program, inputs[5]), outputs[5])


def test_test_outputs_are_never_consulted() -> None:
    rng = np.random.default_rng(2)
    task = simple_task(rng, "rotate_90")
    wrong = Pair(task.test[0].input, np.full((2, 2), 9, dtype=np.uint8))
    variants = [task, hide_test_outputs(task), Task(task.id, task.train, (wrong,))]
    budget = Budget(seconds=1e6, nodes=10)
    solutions = [SearchSolver().solve(t, budget) for t in variants]
    for s in solutions[1:]:
        assert s.programs == solutions[0].programs
        assert all(grids_equal(a, b) for a, b in zip(s.attempts[0], solutions[0].attempts[0], strict=True))


def test_programs_are_parseable_text_and_rerun_to_the_attempts() -> None:
    from dsl.interpreter import execute

    rng = np.random.default_rng(4)
    task = simple_task(rng, "transpose")
    solution = make_solver("search").solve(hide_test_outputs(task), SIMPLE_BUDGET)
    assert solution.programs
    program = parse_program(solution.programs[0])
    assert grids_equal(execute(program, task.test[0].input), solution.attempts[0][0])
    assert solution.stats["candidates_found"] >= 1
    assert solution.stats["first_solution_node"] is not None


def test_weights_reorder_equal_fits() -> None:
    train = [np.array([[1, 0, 1], [2, 2, 2]], dtype=np.uint8)]
    outputs = [np.ascontiguousarray(train[0][::-1])]
    config = SearchConfig(max_cost=1, primitives=("flip_ud", "rotate_180"))
    test = [asymmetric_grid()]
    plain = search(train, outputs, test, Budget(60), config=config)
    weights = {"flip_ud": 2.0, "rotate_180": 0.5}
    weighted = search(train, outputs, test, Budget(60), weights=weights, config=config)
    assert format_program(plain.programs[0]) == "flip_ud(I)"
    assert format_program(weighted.programs[0]) == "rotate_180(I)"


def test_memory_cap_stops_storing_but_keeps_checking() -> None:
    grid = asymmetric_grid()
    config = SearchConfig(max_cost=3, max_states=3, primitives=tuple(SYMMETRIES), stop_when_settled=False)
    result = search([grid], [np.rot90(grid, 1).copy()], [], Budget(60), config=config)
    assert result.stats.unique_states <= 3
    assert result.stats.stopped_by == "memory"
    assert result.programs  # found among children that were checked but not stored


def test_derived_color_options_vary_per_example() -> None:
    if "most_common_color" not in PRIMITIVES:
        pytest.skip("most_common_color not registered yet")
    inputs = [np.array([[1, 1, 2]], np.uint8), np.array([[3, 3, 2]], np.uint8)]
    options = derived_options(inputs, list(PRIMITIVES.values()))
    texts = {format_program(o.expr): o.values for o in options["Color"]}
    assert texts["most_common_color(I)"] == (1, 3)
    assert task_colors(inputs) == (1, 2, 3)


def test_output_shapes_are_predicted_from_train_pairs() -> None:
    g = np.zeros
    same = predict_shapes([g((3, 4)), g((5, 5))], [g((3, 4)), g((5, 5))], [g((7, 2))])
    assert same == [(7, 2)]
    const = predict_shapes([g((3, 4)), g((5, 5))], [g((2, 2)), g((2, 2))], [g((7, 2))])
    assert const == [(2, 2)]
    scaled = predict_shapes([g((3, 4)), g((2, 5))], [g((6, 12)), g((4, 15))], [g((1, 2))])
    assert scaled == [(2, 6)]
    assert predict_shapes([g((3, 4)), g((2, 5))], [g((1, 1)), g((4, 4))], [g((1, 2))]) == [None]


def test_settling_stops_early_without_changing_the_attempts() -> None:
    train = [np.array([[1, 0, 1], [2, 2, 2], [0, 0, 0]], dtype=np.uint8)]
    outputs = [np.ascontiguousarray(train[0][::-1])]
    test = [asymmetric_grid()]
    configs = {settle: SearchConfig(max_cost=3, stop_when_settled=settle) for settle in (True, False)}
    runs = {settle: search(train, outputs, test, Budget(60), config=c) for settle, c in configs.items()}
    assert runs[True].stats.stopped_by == "settled"
    assert runs[True].stats.nodes_expanded < runs[False].stats.nodes_expanded
    fast, full = runs[True].attempts(1)[0], runs[False].attempts(1)[0]
    assert len(fast) == len(full) == 2
    assert all(grids_equal(a, b) for a, b in zip(fast, full, strict=True))


def test_iterative_deepening_raises_the_cost_bound_until_settled() -> None:
    # a left-right symmetric train input: rotate_180 (cost 2 here) and flip_ud (cost 3) both fit
    grid = np.array([[1, 0, 1], [2, 2, 2], [0, 0, 0]], dtype=np.uint8)
    config = SearchConfig(max_cost=6, deepen_from=1, primitives=("rotate_90", "flip_lr"))
    result = search([grid], [np.rot90(grid, 2).copy()], [asymmetric_grid()], Budget(60), config=config)
    assert [program_cost(p) for p in result.programs[:2]] == [2, 3]
    assert format_program(result.programs[0]) == "rotate_90(rotate_90(I))"
    assert result.stats.cost_bound == 3  # settled at the level that gave the second attempt
    assert result.stats.stopped_by == "settled"


@pytest.mark.skipif(
    not {"top_half", "bottom_half", "cell_xor", "cell_and"} <= set(PRIMITIVES), reason="not registered yet"
)
def test_binary_primitives_combine_two_states() -> None:
    from dsl.interpreter import execute

    program = parse_program("cell_xor(top_half(I), bottom_half(I), 3)")
    rng = np.random.default_rng(8)
    inputs = [(rng.random((6, 5)) < 0.4).astype(np.uint8) * 2 for _ in range(4)]
    outputs = [execute(program, g) for g in inputs]
    config = SearchConfig(max_cost=6, primitives=("top_half", "bottom_half", "cell_xor", "cell_and"))
    result = search(inputs[:3], outputs[:3], inputs[3:], Budget(60), config=config)
    assert result.programs
    assert grids_equal(result.predictions[0][0], outputs[3])


def test_partial_fits_rank_after_full_fits_and_fill_attempts() -> None:
    a, b = asymmetric_grid(), asymmetric_grid().T.copy()
    outputs = [np.ascontiguousarray(a[:, ::-1]), np.ascontiguousarray(b)]  # only the first pair is flipped
    # partial fits are noted on stored states (leaves are only checked for a full fit): cost 2 stores depth 1
    config = SearchConfig(max_cost=2, primitives=("flip_lr", "flip_ud"))
    result = search([a, b], outputs, [a], Budget(60), config=config)
    assert result.stats.candidates_found == 0
    # each fits one pair: the cheaper first
    assert [format_program(p) for p in result.programs[:2]] == ["I", "flip_lr(I)"]
    assert result.fits[:2] == [1, 1]


def test_shared_nonzero_background_is_searched_as_zero_and_swapped_back() -> None:
    from dsl.interpreter import execute
    from synth.search_background import shared_background, swap_background

    rng = np.random.default_rng(6)
    gravity = PRIMITIVES["gravity_down"].fn
    inputs = [
        np.where(rng.random((5, 6)) < 0.25, rng.integers(1, 4, (5, 6)), 8).astype(np.uint8) for _ in range(4)
    ]
    outputs = [swap_background(gravity(swap_background(g, 8)), 8) for g in inputs]
    assert (
        shared_background(inputs) == 8 and shared_background([outputs[0], np.zeros((2, 2), np.uint8)]) is None
    )
    holes = inputs[0].copy()
    holes[0, 0] = 0
    assert shared_background([holes, *inputs[1:]]) is None  # 0 marks something: leave the colours alone
    task = Task(
        "bg8", tuple(Pair(a, b) for a, b in zip(inputs[:3], outputs[:3], strict=True)), (Pair(inputs[3]),)
    )
    solver = SearchSolver(primitives=("gravity_down", "swap_colors", "flip_lr"))
    solution = solver.solve(task, Budget(seconds=60, nodes=200))
    assert solution.programs[0] == "swap_colors(gravity_down(swap_colors(I, 0, 8)), 0, 8)"
    assert grids_equal(solution.attempts[0][0], outputs[3])
    assert grids_equal(execute(parse_program(solution.programs[0]), inputs[3]), outputs[3])
    plain = SearchSolver(primitives=("gravity_down",), normalise_background=False, ranked_share=0).solve(
        task, Budget(60, nodes=200)
    )
    assert not any(grids_equal(a, outputs[3]) for a in plain.attempts[0])


def test_occam_margin_stops_deepening_once_a_cheap_program_fits() -> None:
    grid = asymmetric_grid()
    target = np.rot90(grid, -1).copy()
    base = SearchConfig(max_cost=6, deepen_from=2, primitives=tuple(SYMMETRIES), stop_when_settled=False)
    stopped = search([grid], [target], [grid.T.copy()], Budget(60), config=base)
    assert stopped.stats.stopped_by == "settled" and stopped.stats.cost_bound == 3  # rotate_90 costs 1
    unbounded = search([grid], [target], [grid.T.copy()], Budget(60), config=replace(base, occam_margin=None))
    assert unbounded.stats.cost_bound == 6
    assert format_program(stopped.programs[0]) == format_program(unbounded.programs[0]) == "rotate_90(I)"


def test_a_binary_primitive_wanting_a_small_second_grid_still_meets_other_shapes():
    """`paint_cells` refuses two blank probe grids of either shape; the search must not read that
    as "refuses mixed shapes" (it would then never pair a grid with its cell colours)."""
    grid = np.array([[1, 0, 5, 0, 0], [0, 0, 5, 0, 2], [5, 5, 5, 5, 5], [0, 3, 5, 0, 0]], dtype=np.uint8)
    want = np.array([[1, 1, 5, 2, 2], [1, 1, 5, 2, 2], [5, 5, 5, 5, 5], [3, 3, 5, 0, 0]], dtype=np.uint8)
    config = SearchConfig(max_cost=4.0, primitives=("paint_cells", "cell_colors"))
    result = search([grid], [want], [grid], Budget(seconds=10), config=config)
    assert result.found() and format_program(result.programs[0]) == "paint_cells(I, cell_colors(I))"


def test_weights_order_the_search_but_programs_rank_by_their_unweighted_cost() -> None:
    # inputs symmetric top to bottom: flip_lr and rotate_180 both fit; promoted turns reach the same
    # states first as two-step programs (rotate_90(rotate_90(I)), weighted 0.4 < 1)
    inputs = [
        np.array(g, dtype=np.uint8)
        for g in ([[1, 2], [1, 2]], [[3, 0, 4], [3, 0, 4]], [[5, 6], [0, 0], [5, 6]])
    ]
    outputs = [np.ascontiguousarray(g[:, ::-1]) for g in inputs]
    test = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    promoted = {"rotate_90": 0.2, "rotate_270": 0.2, "transpose": 0.2, "anti_transpose": 0.2}
    result = search(inputs, outputs, [test], Budget(seconds=20), promoted, SearchConfig(max_cost=2.0))
    assert result.fits[:2] == [3, 3]
    assert sorted(format_program(p) for p in result.programs[:2]) == ["flip_lr(I)", "rotate_180(I)"]


def _gravity_then_flip_task() -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Pixels fall down, then the grid is mirrored left to right: a two-step program of cost 2."""
    rng = np.random.default_rng(7)
    region = (slice(0, 5), slice(0, 6))
    inputs = [sparse_grid(rng, 5, 6, c, region) for c in (1, 2, 3)]
    inputs = [g if g[:, 0].any() else np.roll(g, 1, axis=1) for g in inputs]
    fall, mirror = PRIMITIVES["gravity_down"].fn, PRIMITIVES["flip_lr"].fn
    outputs = [np.ascontiguousarray(mirror(fall(g))) for g in inputs]
    return inputs[:2], outputs[:2], inputs[2:]


def test_order_only_weights_keep_each_level_to_the_unweighted_programs() -> None:
    train, outputs, test = _gravity_then_flip_task()
    config = SearchConfig(max_cost=2.0, stop_when_settled=False, occam_margin=None, compose_layers=0)
    promoted = {"gravity_down": 0.3, "flip_lr": 0.3, "rotate_90": 0.3}
    plain = search(train, outputs, test, Budget(seconds=60), config=config)
    ordered = search(
        train, outputs, test, Budget(seconds=60), promoted, replace(config, weights_deepen=False)
    )
    deepened = search(train, outputs, test, Budget(seconds=60), promoted, config)

    def found(result: SearchResult) -> set[tuple[bytes, float]]:
        """Train-consistent programs as (test predictions, cost): equal-cost programs for one state
        may differ in text with the order of discovery."""
        return {
            (b"".join(grid_key(g) for g in preds), program_cost(p))
            for p, preds, f in zip(result.programs, result.predictions, result.fits, strict=True)
            if f == len(train)
        }

    assert found(plain) and found(ordered) == found(plain)
    # weights that set the bounds reach programs of unweighted cost beyond the level (2.0)
    assert max(cost for _, cost in found(deepened)) > 2.0
    assert max(cost for _, cost in found(ordered)) <= 2.0 + 1e-9


def test_order_only_weights_find_a_promoted_program_sooner_within_a_level() -> None:
    train, outputs, test = _gravity_then_flip_task()
    config = SearchConfig(max_cost=2.0, weights_deepen=False, compose_layers=0)
    plain = search(train, outputs, test, Budget(seconds=60), config=config)
    ordered = search(train, outputs, test, Budget(seconds=60), {"gravity_down": 0.5, "flip_lr": 0.5}, config)
    assert all(grids_equal(a, b) for a, b in zip(ordered.predictions[0], plain.predictions[0], strict=True))
    assert ordered.stats.first_solution_node < plain.stats.first_solution_node
