"""Cell rules read off the train pairs (`dsl.primitives.cell_rules`): the first cell property whose
values say, for every cell of every pair, how it changes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dsl.grid import Grid
from dsl.primitives.cell_rules import CELL_PROPERTIES, FILL_OWN, cell_properties, own_colour
from dsl.registry import Refused

KEEP = "keep"
MAX_ENTRIES = 8  # a longer table memorises the pairs rather than stating a rule


def _actions(before: Grid, after: Grid) -> set[str]:
    """The actions that take a cell from `before` to `after`."""
    actions = {KEEP} if np.array_equal(before, after) else set()
    colours = np.unique(after)
    if len(colours) == 1:
        actions.add(str(int(colours[0])))
        if own_colour(before) == colours[0]:
            actions.add(FILL_OWN)
    return actions


def infer_cell_rule(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """The rule of the first property (`CELL_PROPERTIES` order) under which every cell with one value
    changes alike in every pair; `f` preferred to a colour, so a rule read off cells of one colour
    applies to another. None when the grids have no cells, the separators change, or nothing does."""
    if not state or any(a.shape != b.shape for a, b in zip(state, outputs, strict=False)):
        return []
    if all(np.array_equal(a, b) for a, b in zip(state, outputs, strict=False)):
        return []
    cell_actions: list[tuple[dict[str, list[str]], list[set[str]]]] = []  # per pair: values, actions
    for a, b in zip(state, outputs, strict=False):
        try:
            cells, values = cell_properties(a)
        except Refused:
            return []  # no layout of two or more cells
        inside = np.zeros(a.shape, dtype=bool)
        for cell in cells:
            inside[cell] = True
        if not np.array_equal(a[~inside], b[~inside]):
            return []  # the separators (or gaps) change: not a cell-by-cell change
        cell_actions.append((values, [_actions(a[cell], b[cell]) for cell in cells]))
    for prop in CELL_PROPERTIES:
        allowed: dict[str, set[str]] = {}
        for values, actions in cell_actions:
            for value, can in zip(values[prop], actions, strict=True):
                allowed[value] = allowed.get(value, can) & can
        if any(not can for can in allowed.values()):
            continue
        table = {
            value: FILL_OWN if FILL_OWN in can else min(can)
            for value, can in sorted(allowed.items())
            if KEEP not in can
        }
        if table and len(table) <= MAX_ENTRIES:
            return [f"{prop}:" + ",".join(f"{value}>{action}" for value, action in table.items())]
    return []


def cell_rule_bits(text: str) -> float:
    """Description length of a cell rule: the property (2 bits) and one bit per forced entry."""
    return 2.0 + text.count(",") + 1
