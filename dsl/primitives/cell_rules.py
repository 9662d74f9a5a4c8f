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

from dsl.primitives.color import most_common_nonzero_color
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


def cell_properties(grid: Grid) -> tuple[list[tuple[slice, slice]], dict[str, list[str]]]:
    """The cells of `cell_layout` in reading order and, per property, each cell's value as text
    (one layout for all properties: the inferrer tries them all on every state)."""
    row_spans, col_spans = cell_layout(grid)
    cells = [(r, c) for r in row_spans for c in col_spans]
    n, m = len(row_spans), len(col_spans)
    counts = [int(np.count_nonzero(grid[cell])) for cell in cells]
    most, least = max(counts), min(counts)
    return cells, {
        "place": [_place(k // m, k % m, n, m) for k in range(len(cells))],
        "full": ["1" if c == most else "0" for c in counts],
        "empty": ["1" if c == least else "0" for c in counts],
        "count": [str(c) for c in counts],
    }


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
    """A cell's commonest non-zero colour (`most_common_nonzero_color`), None if it is blank."""
    try:
        return int(most_common_nonzero_color(cell))
    except Refused:
        return None


@primitive(cost=2.0)
def recolor_cells_by(grid: Grid, rule: CellRule) -> Grid:
    """Paint each cell between separators whose property value the rule lists: a colour, or `f` its
    own commonest non-zero colour (a blank cell stays blank); other cells stay."""
    prop, table = parse_cell_rule(rule)
    cells, values = cell_properties(grid)
    out = fresh(grid)
    for cell, value in zip(cells, values[prop], strict=True):
        action = table.get(value)
        if action == FILL_OWN:
            colour = own_colour(grid[cell])
            if colour is not None:
                out[cell] = colour
        elif action is not None:
            out[cell] = int(action)
    return out
