"""Per-object decomposition: a task that changes each object on its own, in place, searched as the
smaller task of one object's box.

Many same-shape tasks leave everything outside the objects' bounding boxes (grown by a margin) alone
and change each box by one function f of that box (flip it, fill its holes, recolour it by a local
rule, grow a pattern around it). Such a task becomes a sub-task whose pairs are (box in the input ->
same box in the output) over every object of every train pair, unchanged objects included (they tell
f what to leave alone); f is searched there with the ordinary search, and the test answer is the test
input with f painted over each of its boxes. Boxes are cut whole (with margin) and must not overlap,
so each cell belongs to at most one box and painting back is unambiguous (`dsl.object_boxes`). The
answer is the DSL program `per_object(I, f(X), conn, margin)`, and its train fit is checked by running
that program.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from dsl.grid import Grid, grid_key, grids_equal
from dsl.interpreter import ExecutionError, execute
from dsl.object_boxes import Box, object_boxes, paint
from dsl.program import Call, Expr, per_object_call

if TYPE_CHECKING:
    from synth.search import SearchResult

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
        boxes = object_boxes(a, cut.conn, cut.margin)
        if boxes is None or not _changes_inside(a, b, boxes):
            return None
        count += len(boxes)
        for box in boxes:
            key = grid_key(a[box])
            if key in pairs and not grids_equal(pairs[key][1], b[box]):
                return None
            pairs[key] = (np.ascontiguousarray(a[box]), np.ascontiguousarray(b[box]))
            smaller = smaller or a[box].shape != a.shape
    test_boxes = [object_boxes(t, cut.conn, cut.margin) for t in test_in]
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


def per_object_program(program: Expr, cut: Cut) -> Call:
    """The DSL program `per_object(I, f, connectivity, margin)` of a sub-task program f, with `X` for
    the box in f (so a view wrapping the program substitutes the task input only)."""
    return per_object_call(program, cut.conn, cut.margin)


def fits_train(whole: Expr, train_in: Sequence[Grid], train_out: Sequence[Grid]) -> bool:
    """True when the per_object program (run by the interpreter, as printed) gives the train outputs
    exactly."""
    for a, b in zip(train_in, train_out, strict=True):
        try:
            if not grids_equal(execute(whole, a), b):
                return False
        except ExecutionError:
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
        whole = per_object_program(program, sub.cut)
        if not fits_train(whole, train_in, train_out):
            continue
        grids = painted_answers(sub, test_in, preds)
        if grids is not None:
            programs.append(whole)
            answers.append(grids)
            flags.append(comp)
    n = len(train_in)
    return replace(
        result, programs=programs, predictions=answers, fits=[n] * len(programs), n_train=n, composed=flags
    )
