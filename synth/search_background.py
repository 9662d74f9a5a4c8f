"""Background normalisation: many primitives treat colour 0 as the background (objects, gravity,
cropping, overlays), so a task drawn on another background colour is searched with that colour and 0
swapped, and its programs are wrapped in the same swap on the way in and out, which keeps each one a
faithful program of the original task."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dsl.grid import Grid
from dsl.primitives.color import most_common_color
from dsl.program import INPUT, Call, Const, Expr, substitute_input


def shared_background(inputs: Sequence[Grid]) -> int | None:
    """The non-zero colour that is the most common one in every input grid, if there is one and no
    input uses colour 0 (where 0 marks holes to fill, swapping it away hid them from the primitives
    that fill 0s: measured on arc1/training)."""
    commonest = {most_common_color(g) for g in inputs}
    if len(commonest) != 1 or any((g == 0).any() for g in inputs):
        return None
    (colour,) = commonest
    return colour or None


def own_backgrounds(inputs: Sequence[Grid]) -> list[int] | None:
    """Each input's commonest colour, when every input is drawn on a non-zero background and the
    inputs disagree on it (one shared colour is `shared_background`'s case), else None."""
    commonest = [most_common_color(g) for g in inputs]
    if len(set(commonest)) < 2 or 0 in commonest:
        return None
    return commonest


def swap_background(grid: Grid, colour: int) -> Grid:
    """Exchange colour 0 and `colour` (its own inverse)."""
    return np.where(grid == 0, colour, np.where(grid == colour, 0, grid)).astype(np.uint8)


def unswapped_program(expr: Expr, colour: int | None) -> Expr:
    """The program on the original task: swap the input, run `expr`, swap the result back; with
    colour None, each input's own commonest colour is the one swapped."""
    swap = (Const(0), Const(colour) if colour is not None else Call("most_common_color", (INPUT,)))
    return Call("swap_colors", (substitute_input(expr, Call("swap_colors", (INPUT, *swap))), *swap))
