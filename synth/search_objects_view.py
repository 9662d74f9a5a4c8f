"""Per-object decomposition: a task that changes each object on its own, in place, searched as the
smaller task of one object's box.

Many same-shape tasks leave everything outside the objects' bounding boxes (grown by a margin) alone
and change each box by one function f of that box (flip it, fill its holes, recolour it by a local
rule, grow a pattern around it). Such a task becomes a sub-task whose pairs are (box in the input ->
same box in the output) over every object of every train pair, unchanged objects included (they tell
f what to leave alone); f is searched there with the ordinary search, and the test answer is the test
input with f painted over each of its boxes. Boxes are cut whole (with margin) and must not overlap,
so each cell belongs to at most one box and painting back is unambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from dsl.grid import Grid, grid_key, grids_equal
from dsl.interpreter import ExecutionError, execute
from dsl.primitives.components import label
from dsl.program import INPUT, Call, Const, Expr, Var, substitute_input

if TYPE_CHECKING:
    from synth.search import SearchResult

Box = tuple[slice, slice]

CROP = Var("X")  # an object's box, the input of f in the printed program
MAX_PIECES = 60  # distinct sub-task train pairs; beyond this the sub-task is no smaller than the task
MAX_PROGRAMS = 10  # sub-task programs checked and answered with, best first (two attempts need few)


@dataclass(frozen=True)
class Cut:
    """How a grid is cut into objects: connectivity of non-zero cells and the margin around each box."""

    conn: int
    margin: int


# tried in order, the first that fits the train pairs is used: tight boxes before grown ones, and
# 8-connected objects (a diagonal stroke is one object) before 4-connected ones
CUTS = (Cut(8, 0), Cut(4, 0), Cut(8, 1), Cut(4, 1))


@dataclass(frozen=True)
class SubTask:
    cut: Cut
    train_in: list[Grid]  # distinct object boxes of the train inputs
    train_out: list[Grid]  # the same boxes in the train outputs
    test_boxes: list[list[Box]]  # per test input, its objects' boxes
    test_in: list[Grid]  # every test input's box crops, in test_boxes order


def object_boxes(grid: Grid, cut: Cut) -> list[Box] | None:
    """The objects' boxes grown by the margin (clipped to the grid); an object inside another's box
    is part of that object (the dot in a cup). None when two boxes still overlap."""
    comps = label(grid, cut.conn, by_color=False)
    h, w = grid.shape
    m = cut.margin
    boxes = [
        (slice(max(r.start - m, 0), min(r.stop + m, h)), slice(max(c.start - m, 0), min(c.stop + m, w)))
        for r, c in _outermost(comps.boxes)
    ]
    cover = np.zeros(grid.shape, dtype=np.int32)
    for box in boxes:
        cover[box] += 1
    return None if (cover > 1).any() else boxes


def _outermost(boxes: Sequence[Box]) -> list[Box]:
    """The boxes not inside another box (of two equal boxes, the first)."""
    return [
        box
        for i, box in enumerate(boxes)
        if not any(
            _contains(other, box) and (other != box or j < i) for j, other in enumerate(boxes) if j != i
        )
    ]


def _contains(outer: Box, inner: Box) -> bool:
    return all(o.start <= i.start and i.stop <= o.stop for o, i in zip(outer, inner, strict=True))


def _inside(boxes: Sequence[Box], shape: tuple[int, int]) -> np.ndarray:
    mask = np.zeros(shape, dtype=bool)
    for box in boxes:
        mask[box] = True
    return mask


def _changes_inside(source: Grid, target: Grid, boxes: Sequence[Box]) -> bool:
    """True when `target` equals `source` outside every box (same shape assumed)."""
    outside = ~_inside(boxes, source.shape)
    return bool(np.array_equal(source[outside], target[outside]))


def subtask(
    train_in: Sequence[Grid], train_out: Sequence[Grid], test_in: Sequence[Grid], cut: Cut
) -> SubTask | None:
    """The per-object sub-task under `cut`, or None when the task does not decompose that way: shapes
    change, a cell changes outside every box, boxes overlap, an input box maps to two outputs, nothing
    is smaller than its grid (the sub-task would be the task), there are fewer than two objects or too
    many distinct boxes, or a test input has no object or overlapping boxes."""
    if any(a.shape != b.shape for a, b in zip(train_in, train_out, strict=True)):
        return None
    pairs: dict[bytes, tuple[Grid, Grid]] = {}
    smaller, count = False, 0
    for a, b in zip(train_in, train_out, strict=True):
        boxes = object_boxes(a, cut)
        if boxes is None or not _changes_inside(a, b, boxes):
            return None
        count += len(boxes)
        for box in boxes:
            key = grid_key(a[box])
            if key in pairs and not grids_equal(pairs[key][1], b[box]):
                return None
            pairs[key] = (np.ascontiguousarray(a[box]), np.ascontiguousarray(b[box]))
            smaller = smaller or a[box].shape != a.shape
    test_boxes = [object_boxes(t, cut) for t in test_in]
    if not smaller or count < 2 or len(pairs) > MAX_PIECES or any(b is None or not b for b in test_boxes):
        return None
    if all(grids_equal(a, b) for a, b in pairs.values()):
        return None  # nothing changes: the whole-task search has the identity already
    boxes_per_test = [b for b in test_boxes if b is not None]
    crops = [
        np.ascontiguousarray(t[box])
        for t, boxes in zip(test_in, boxes_per_test, strict=True)
        for box in boxes
    ]
    return SubTask(cut, [a for a, _ in pairs.values()], [b for _, b in pairs.values()], boxes_per_test, crops)


def decompose(train_in: Sequence[Grid], train_out: Sequence[Grid], test_in: Sequence[Grid]) -> SubTask | None:
    """The first of `CUTS` the task decomposes under, if any."""
    for cut in CUTS:
        sub = subtask(train_in, train_out, test_in, cut)
        if sub is not None:
            return sub
    return None


def paint(grid: Grid, boxes: Sequence[Box], crops: Sequence[Grid]) -> Grid | None:
    """`grid` with each box replaced by its crop; None when a crop does not fit its box."""
    out = grid.copy()
    for box, crop in zip(boxes, crops, strict=True):
        if out[box].shape != crop.shape:
            return None
        out[box] = crop
    return out


def apply_per_object(program: Expr, grid: Grid, cut: Cut) -> Grid | None:
    """`program` run on each object's box of `grid` and painted back; None when it cannot be."""
    boxes = object_boxes(grid, cut)
    if boxes is None:
        return None
    try:
        crops = [execute(program, np.ascontiguousarray(grid[box])) for box in boxes]
    except ExecutionError:
        return None
    return paint(grid, boxes, crops)


def per_object_program(program: Expr, cut: Cut) -> Call:
    """The printable form `per_object(I, f, connectivity, margin)`, with `X` for the box in f (so a view
    wrapping the program substitutes the task input only). Shown, not run: it is no DSL primitive."""
    return Call("per_object", (INPUT, substitute_input(program, CROP), Const(cut.conn), Const(cut.margin)))


def fits_train(program: Expr, sub: SubTask, train_in: Sequence[Grid], train_out: Sequence[Grid]) -> bool:
    """True when the reassembled train outputs equal the real ones exactly."""
    for a, b in zip(train_in, train_out, strict=True):
        out = apply_per_object(program, a, sub.cut)
        if out is None or not grids_equal(out, b):
            return False
    return True


def painted_answers(sub: SubTask, test_in: Sequence[Grid], crops: Sequence[Grid]) -> list[Grid] | None:
    """The test inputs with the predicted crops (in `sub.test_in` order) painted back."""
    answers, start = [], 0
    for grid, boxes in zip(test_in, sub.test_boxes, strict=True):
        answer = paint(grid, boxes, crops[start : start + len(boxes)])
        if answer is None:
            return None
        answers.append(answer)
        start += len(boxes)
    return answers


def search_per_object(
    train_in: Sequence[Grid],
    train_out: Sequence[Grid],
    test_in: Sequence[Grid],
    sub: SubTask,
    run: Callable[[Sequence[Grid], Sequence[Grid], Sequence[Grid]], SearchResult],
) -> SearchResult:
    """`run` (a search) on the sub-task, its result turned into one on the task: only the programs whose
    reassembly fits every train pair exactly, in printable form, with their test answers."""
    result = run(sub.train_in, sub.train_out, sub.test_in)
    composed = result.composed or [False] * len(result.programs)
    programs, answers, flags = [], [], []
    fitting = [
        entry
        for entry in zip(result.programs, result.predictions, result.fits, composed, strict=True)
        if entry[2] == len(sub.train_in)
    ]
    for program, preds, _, comp in fitting[:MAX_PROGRAMS]:
        if not fits_train(program, sub, train_in, train_out):
            continue
        grids = painted_answers(sub, test_in, preds)
        if grids is not None:
            programs.append(per_object_program(program, sub.cut))
            answers.append(grids)
            flags.append(comp)
    n = len(train_in)
    return replace(
        result, programs=programs, predictions=answers, fits=[n] * len(programs), n_train=n, composed=flags
    )
