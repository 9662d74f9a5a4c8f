"""Cells recoloured by where they sit or how full they are, the table read off the train pairs.

Grids cut by separator lines (`split.cell_layout`) often change cell by cell: the fullest cell is
filled and the others cleared, the corner and centre cells take colours. A rule reads
`PROP:v>a,v>a,...`: every cell whose property has value v gets action a, a digit (the whole cell
becomes that colour) or `f` (the whole cell becomes its own commonest non-zero colour); cells whose
value is not listed stay as they are. Properties (`CELL_PROPERTIES`):
- `place`: the cell's place in the layout, `tl tr bl br` (corners), `n s w e` (the middle of an
  edge), `c` (the centre), `x` (any other), so layouts of different sizes share values;
- `full`: 1 for the cell(s) with the most non-zero cells, else 0; `empty`: 1 for the fewest;
- `count`: its non-zero cells.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.split import cell_layout
from dsl.registry import Refused, primitive
from dsl.types import CellRule, Grid

CELL_PROPERTIES = ("place", "full", "empty", "count")
FILL_OWN = "f"


def _place(i: int, j: int, rows: int, cols: int) -> str:
    top, bottom, left, right = i == 0, i == rows - 1, j == 0, j == cols - 1
    if (top or bottom) and (left or right):
        return ("t" if top else "b") + ("l" if left else "r")
    middle_row, middle_col = 2 * i == rows - 1, 2 * j == cols - 1
    if middle_row and middle_col:
        return "c"
    if middle_col and (top or bottom):
        return "n" if top else "s"
    if middle_row and (left or right):
        return "w" if left else "e"
    return "x"


def cell_values(grid: Grid, prop: str) -> tuple[list[tuple[slice, slice]], list[str]]:
    """The cells of `cell_layout` in reading order and each one's value of `prop`, as text."""
    row_spans, col_spans = cell_layout(grid)
    cells = [(r, c) for r in row_spans for c in col_spans]
    if prop == "place":
        n, m = len(row_spans), len(col_spans)
        return cells, [_place(k // m, k % m, n, m) for k in range(len(cells))]
    counts = [int(np.count_nonzero(grid[cell])) for cell in cells]
    if prop == "count":
        return cells, [str(c) for c in counts]
    if prop in ("full", "empty"):
        extreme = max(counts) if prop == "full" else min(counts)
        return cells, ["1" if c == extreme else "0" for c in counts]
    raise Refused(f"unknown cell property {prop!r}")


@lru_cache(maxsize=256)
def parse_cell_rule(rule: str) -> tuple[str, dict[str, str]]:
    """(property, value -> action); Refused if malformed."""
    prop, _, body = rule.partition(":")
    if prop not in CELL_PROPERTIES or not body:
        raise Refused(f"cell rule must read PROP:v>a,... with PROP in {CELL_PROPERTIES}, got {rule[:20]!r}")
    table = {}
    for entry in body.split(","):
        value, _, action = entry.partition(">")
        if not value or len(action) != 1 or action not in "0123456789" + FILL_OWN or value in table:
            raise Refused(f"bad cell rule entry {entry!r}")
        table[value] = action
    return prop, table


def own_colour(cell: Grid) -> int | None:
    """A cell's commonest non-zero colour (the smaller on a tie), None if it is blank."""
    counts = np.bincount(cell.ravel(), minlength=10)[1:]
    return int(counts.argmax()) + 1 if counts.any() else None


@primitive(cost=2.0)
def recolor_cells_by(grid: Grid, rule: CellRule) -> Grid:
    """Paint each cell between separators whose property value the rule lists: a colour, or `f` its
    own commonest non-zero colour (a blank cell stays blank); other cells stay."""
    prop, table = parse_cell_rule(rule)
    cells, values = cell_values(grid, prop)
    out = fresh(grid)
    for cell, value in zip(cells, values, strict=True):
        action = table.get(value)
        if action == FILL_OWN:
            colour = own_colour(grid[cell])
            if colour is not None:
                out[cell] = colour
        elif action is not None:
            out[cell] = int(action)
    return out
