"""Object rules read off the train pairs: recolouring each object by a property, picking the one
object a property singles out, choosing a whole output grid by a property of the input (grid
tables), and the search finishing programs with them."""

from __future__ import annotations

import numpy as np

from dsl.grid import grids_equal
from dsl.interpreter import execute
from dsl.primitives.grid_tables import encode_grid
from dsl.program import format_program, parse_program
from dsl.registry import PRIMITIVES
from synth.inference_objects import GENERIC_PICKS, infer_grid_table, infer_object_pick, infer_object_rule
from synth.search import SearchConfig, search
from synth.solver import Budget


def scatter(rng: np.random.Generator, shapes: list[np.ndarray], size: int = 12) -> np.ndarray:
    """A blank grid with the given blocks placed apart (never touching, even diagonally)."""
    grid = np.zeros((size, size), dtype=np.uint8)
    taken = np.zeros_like(grid, dtype=bool)
    for block in shapes:
        h, w = block.shape
        for _ in range(200):
            r, c = int(rng.integers(0, size - h + 1)), int(rng.integers(0, size - w + 1))
            if not taken[max(r - 1, 0) : r + h + 1, max(c - 1, 0) : c + w + 1].any():
                grid[r : r + h, c : c + w] = block
                taken[r : r + h, c : c + w] = True
                break
        else:
            raise AssertionError("could not place a block")
    return grid


def bar(n: int, colour: int = 5) -> np.ndarray:
    return np.full((1, n), colour, dtype=np.uint8)


def by_size(grid: np.ndarray, table: dict[int, int]) -> np.ndarray:
    """Each horizontal bar recoloured by its length (the task the inferrer must discover)."""
    out = grid.copy()
    for r in range(grid.shape[0]):
        c = 0
        while c < grid.shape[1]:
            if grid[r, c]:
                end = c
                while end < grid.shape[1] and grid[r, end]:
                    end += 1
                out[r, c:end] = table.get(end - c, grid[r, c])
                c = end
            c += 1
    return out


def bar_task(seed: int) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    table = {1: 3, 2: 1, 3: 2}
    inputs = [scatter(rng, [bar(int(n)) for n in rng.permutation([1, 2, 3, 1, 2])]) for _ in range(4)]
    outputs = [by_size(g, table) for g in inputs]
    return inputs[:3], outputs[:3], inputs[3:], outputs[3:]


def test_recolouring_by_size_is_inferred_and_generalises() -> None:
    train_in, train_out, test_in, test_out = bar_task(0)
    rules = infer_object_rule(train_in, train_out, test_in)
    assert rules, "no rule inferred"
    got = PRIMITIVES["recolor_objects_by"].fn(test_in[0], rules[0])
    assert grids_equal(got, test_out[0])


def test_recolouring_rule_must_know_every_test_value() -> None:
    train_in, train_out, _, _ = bar_task(1)
    rng = np.random.default_rng(9)
    unseen = scatter(rng, [bar(4), bar(4)])  # a length no train pair shows
    rules = infer_object_rule(train_in, train_out, [unseen])
    assert all(".size:" not in r and ".rank:" not in r for r in rules)
    assert infer_object_rule(train_in, train_in, train_in) == []  # nothing changes: no rule


def test_recolouring_refuses_what_no_object_rule_explains() -> None:
    train_in, train_out, test_in, _ = bar_task(2)
    assert infer_object_rule(train_in, train_out, test_in)
    # one cell of a three-cell bar changes on its own: that object shows two colours, no rule
    broken = [g.copy() for g in train_out]
    r, c = np.argwhere(by_size(train_in[0], {3: 9}) == 9)[0]
    broken[0][r, c] = 7
    assert infer_object_rule(train_in, broken, test_in) == []


def test_background_regions_are_objects_too() -> None:
    # two rooms split by a wall: the larger fills with 1, the smaller with 8
    grids = []
    for width in (3, 5, 6):
        g = np.zeros((5, 9), dtype=np.uint8)
        g[:, width] = 2
        grids.append(g)
    outputs = []
    for g in grids:
        w = int(np.flatnonzero(g[0])[0])
        left, right = (1, 8) if w > 9 - w - 1 else (8, 1)
        out = g.copy()
        out[:, :w], out[:, w + 1 :] = left, right
        outputs.append(out)
    rules = infer_object_rule(grids[:2], outputs[:2], grids[2:])
    assert any(r.startswith("4b.") for r in rules)
    assert grids_equal(PRIMITIVES["recolor_objects_by"].fn(grids[2], rules[0]), outputs[2])


def framed(sides: tuple[int, ...], fill: bool) -> np.ndarray:
    """Square frames of 1s side by side on a 14x14 grid, their insides of the given sides; filled with
    2 when the side is even and 7 when odd, if `fill`."""
    grid = np.zeros((14, 14), dtype=np.uint8)
    c = 1
    for n in sides:
        grid[1 : n + 3, c : c + n + 2] = 1
        grid[2 : n + 2, c + 1 : c + n + 1] = (7 if n % 2 else 2) if fill else 0
        c += n + 3
    return grid


def test_holes_are_filled_by_a_property_the_open_background_does_not_share() -> None:
    # the open background's height (14) is even too, so only the hole scope, which leaves it out,
    # explains the fills; a parity covers the test's inside of 5, a side no train frame has
    sides = [(1, 2), (3, 2), (4, 1), (5, 2)]
    inputs = [framed(s, False) for s in sides]
    outputs = [framed(s, True) for s in sides]
    rules = infer_object_rule(inputs[:3], outputs[:3], inputs[3:])
    assert rules and all(r.startswith("4h.") and "%2:" in r for r in rules)
    assert grids_equal(PRIMITIVES["recolor_objects_by"].fn(inputs[3], rules[0]), outputs[3])
    # a cell of the open background changes too: no hole rule explains it
    broken = [g.copy() for g in outputs]
    broken[0][13, 13] = 7
    assert not any(r.startswith("4h.") for r in infer_object_rule(inputs[:3], broken, inputs[3:]))


def test_pick_is_inferred_from_the_object_every_output_shows() -> None:
    rng = np.random.default_rng(3)
    blocks = [np.full((2, 3), 4, dtype=np.uint8), np.full((1, 1), 6, dtype=np.uint8)]
    ring = np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.uint8)
    colours = (2, 3, 7, 9)
    inputs = [scatter(rng, [ring * c, *blocks]) for c in colours]
    outputs = [ring * c for c in colours]  # always the ring, whatever its colour
    picks = infer_object_pick(inputs[:3], outputs[:3], inputs[3:])
    assert picks, "no pick inferred"
    assert grids_equal(PRIMITIVES["pick_object_by"].fn(inputs[3], picks[0]), outputs[3])
    # a test grid where no property singles out one object: every pick is refused
    twins = scatter(rng, [blocks[0], blocks[0].copy()])
    assert infer_object_pick(inputs[:3], outputs[:3], [twins]) == []


def test_search_finishes_with_an_inferred_object_rule() -> None:
    train_in, train_out, test_in, test_out = bar_task(4)
    flipped_in = [np.fliplr(g).copy() for g in train_in]
    config = SearchConfig(max_cost=8, primitives=("flip_lr", "recolor_objects_by"))
    flipped_test = [np.fliplr(test_in[0]).copy()]
    result = search(flipped_in, train_out, flipped_test, Budget(60), config=config)
    assert result.found()
    text = format_program(result.programs[0])
    assert text.startswith("recolor_objects_by(flip_lr(I), '")
    assert grids_equal(execute(parse_program(text), flipped_test[0]), test_out[0])
    assert grids_equal(result.predictions[0][0], test_out[0])


def test_pick_inside_a_frame() -> None:
    rng = np.random.default_rng(6)
    inputs, outputs = [], []
    for _ in range(4):
        inside = rng.integers(0, 4, (2, 3)).astype(np.uint8)
        frame = np.full((4, 5), 8, dtype=np.uint8)
        frame[1:3, 1:4] = inside
        inputs.append(scatter(rng, [frame, np.full((1, 2), 5, dtype=np.uint8)]))
        outputs.append(inside)
    picks = infer_object_pick(inputs[:3], outputs[:3], inputs[3:])
    assert picks and ".i." in picks[0]
    assert grids_equal(PRIMITIVES["pick_object_by"].fn(inputs[3], picks[0]), outputs[3])


def test_pick_of_an_object_the_output_shows_repainted() -> None:
    # the output is always the larger ring, repainted in a colour that differs per pair: no pick cuts
    # the output itself, so the pick is offered for a later recolouring step
    rng = np.random.default_rng(5)
    big = np.ones((4, 4), dtype=np.uint8)
    big[1:3, 1:3] = 0
    small = np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.uint8)
    inputs, outputs = [], []
    for paint in (3, 4, 6, 7):
        inputs.append(scatter(rng, [big * 2, small * 2]))
        outputs.append(big * paint)
    picks = infer_object_pick(inputs[:3], outputs[:3], inputs[3:])
    assert picks, "no pick inferred"
    assert grids_equal(PRIMITIVES["pick_object_by"].fn(inputs[3], picks[0]), big * 2)
    # a repainting that moves the figure onto the background is no recolouring of the cut
    holes = [np.where(o == 0, 5, 0).astype(np.uint8) for o in outputs]
    assert all(p in GENERIC_PICKS for p in infer_object_pick(inputs[:3], holes[:3], inputs[3:]))


def classify(grid: np.ndarray) -> np.ndarray:
    """The task the grid-table inferrer must discover: how many colours -> one of three grids."""
    n = len(set(np.unique(grid).tolist()) - {0})
    return np.eye(3, dtype=np.uint8)[:n] * 4 if n < 3 else np.full((3, 3), 6, dtype=np.uint8)


def test_grid_table_classifies_by_a_whole_grid_property() -> None:
    rng = np.random.default_rng(8)
    colour_sets = ((1,), (2, 3), (4, 5, 6), (7,), (8, 9), (3,))
    inputs = [scatter(rng, [np.full((1, 1), c, dtype=np.uint8) for c in cs]) for cs in colour_sets]
    outputs = [classify(g) for g in inputs]
    tables = infer_grid_table(inputs[:5], outputs[:5], inputs[5:])
    assert tables == [
        "ncolors:" + ";".join(f"{n}>{encode_grid(classify(inputs[i]))}" for n, i in ((1, 0), (2, 1), (3, 2)))
    ]
    assert grids_equal(PRIMITIVES["lookup_grid"].fn(inputs[5], tables[0]), outputs[5])
    # a test input with a value no train pair shows: no table
    assert infer_grid_table(inputs[:5], outputs[:5], [np.zeros((3, 3), dtype=np.uint8)]) == []
    # every output different: nothing to classify, even though a property separates them
    assert infer_grid_table(inputs[:3], outputs[:3], inputs[5:]) == []


def test_only_the_colours_that_change_take_part() -> None:
    # grey bars recoloured by length; blue bars of the same lengths stay blue
    rng = np.random.default_rng(12)
    table = {1: 3, 2: 1, 3: 2}
    inputs = [
        scatter(
            rng,
            [
                bar(int(n), c)
                for n, c in zip(rng.permutation([1, 2, 3, 1, 2, 3]), [5, 5, 5, 9, 9, 9], strict=True)
            ],
        )
        for _ in range(4)
    ]
    outputs = [np.where(g == 5, by_size(g, table), g) for g in inputs]
    rules = infer_object_rule(inputs[:3], outputs[:3], inputs[3:])
    assert rules and rules[0].split(".")[0] in ("8s@5", "4s@5")
    assert grids_equal(PRIMITIVES["recolor_objects_by"].fn(inputs[3], rules[0]), outputs[3])


def test_a_threshold_covers_sizes_no_train_object_has() -> None:
    # bars longer than 2 become 1, shorter ones 2; the test has a bar of 5, longer than any in train
    rng = np.random.default_rng(13)
    inputs = [
        scatter(rng, [bar(int(n)) for n in lengths])
        for lengths in ((1, 3, 4), (2, 3, 1), (4, 2, 2), (5, 1, 3))
    ]
    outputs = [by_size(g, {1: 2, 2: 2, 3: 1, 4: 1, 5: 1}) for g in inputs]
    rules = infer_object_rule(inputs[:3], outputs[:3], inputs[3:])
    assert rules and ">2:" in rules[0]
    assert grids_equal(PRIMITIVES["recolor_objects_by"].fn(inputs[3], rules[0]), outputs[3])


def test_a_generic_pick_feeds_a_later_step() -> None:
    # the output is the object holding two colours, painted all in its commonest colour: no object's
    # cut is the output, so only a generic pick followed by another step explains it
    rng = np.random.default_rng(14)
    inputs, outputs = [], []
    for colour in (2, 3, 4, 6):
        target = np.full((2, 3), colour, dtype=np.uint8)
        target[1, 1] = 8
        inputs.append(
            scatter(rng, [target, np.full((2, 2), 1, dtype=np.uint8), np.full((1, 3), 7, dtype=np.uint8)])
        )
        outputs.append(np.full((2, 3), colour, dtype=np.uint8))
    config = SearchConfig(max_cost=6, primitives=("pick_object_by", "fill_with_majority", "rotate_90"))
    result = search(inputs[:3], outputs[:3], inputs[3:], Budget(60), config=config)
    assert result.found()
    assert format_program(result.programs[0]) == "fill_with_majority(pick_object_by(I, '8m.c.ncolor=max'))"
    assert grids_equal(result.predictions[0][0], outputs[3])
