"""Where the search gets a primitive's non-Grid arguments from.

Three sources, so the enumerator itself never names a primitive:
- constants: a type's literal domain (`dsl.types.TYPES`), narrowed by the task (only the colours
  that occur in it);
- derived values: a Grid -> T primitive applied to the task input, e.g. `most_common_color(I)`,
  whose value differs per example;
- inferred values: parameters read off the train pairs at the step that would finish the program
  (a colour map and a window's place here; a canvas's size and place in `synth.inference_canvas`;
  local rules in `synth.inference_local`; object recolourings, object picks and grid tables in
  `synth.inference_objects`), never enumerated.
  `INFERRERS` is the one table that knows such types.

Every option carries one value per example (train inputs, then test inputs) so the search runs a
primitive on all examples in lockstep.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dsl.grid import Grid
from dsl.primitives.crop import crop_window
from dsl.program import INPUT, Call, Const, Expr
from dsl.registry import Primitive
from dsl.types import TYPES
from synth.inference_canvas import infer_placement, placement_bits
from synth.inference_cells import cell_rule_bits, infer_cell_rule
from synth.inference_features import feature_rule_bits, infer_feature_rules
from synth.inference_local import infer_local_rules, local_rule_bits
from synth.inference_objects import (
    grid_table_bits,
    infer_grid_table,
    infer_object_pick,
    infer_object_rule,
    object_pick_bits,
    object_rule_bits,
)
from synth.inference_places import corner_places, distinct_on_test, nearest_corner_first

IDENTITY_MAP = "0123456789"


@dataclass(frozen=True)
class ArgOption:
    """One way to fill an argument: its expression, its value on every example, and what choosing it
    adds to the program's cost."""

    expr: Expr
    values: tuple[Any, ...]
    cost: float = 0.0


def task_colors(grids: Sequence[Grid]) -> tuple[int, ...]:
    """Colours present in any of the grids (train inputs/outputs and test inputs), ascending."""
    present = np.zeros(10, dtype=bool)
    for g in grids:
        present[np.unique(g)] = True
    return tuple(int(c) for c in np.flatnonzero(present))


def constant_domain(type_name: str, colors: Sequence[int]) -> tuple[Any, ...]:
    """The literals worth trying for a type in this task.

    Colours are narrowed to those the task uses; offsets gain 0 because a shift along one axis needs
    the other offset to be 0 (the type's domain omits it since it means "no shift").
    """
    domain = TYPES[type_name].domain
    if type_name == "Color":
        return tuple(colors)
    if type_name == "Offset":
        return tuple(sorted({0, *domain}))
    return domain


def constant_options(type_name: str, colors: Sequence[int], n_examples: int) -> list[ArgOption]:
    return [ArgOption(Const(v), (v,) * n_examples) for v in constant_domain(type_name, colors)]


def derived_options(inputs: Sequence[Grid], prims: Sequence[Primitive]) -> dict[str, list[ArgOption]]:
    """Values of every unary Grid -> T primitive (T not Grid) on the task inputs, grouped by T.

    Options that refuse on some input, or are constant across examples (a literal covers those),
    are dropped; two primitives that agree on every input keep only the first.
    """
    found: dict[str, list[ArgOption]] = {}
    seen: set[tuple[str, tuple[Any, ...]]] = set()
    for prim in prims:
        if prim.arg_types != ("Grid",) or prim.ret_type == "Grid" or not TYPES[prim.ret_type].domain:
            continue
        try:
            values = tuple(_plain(prim.fn(g)) for g in inputs)
        except Exception:  # a refusal on any input drops the option
            continue
        if len(set(values)) <= 1 or (prim.ret_type, values) in seen:
            continue
        seen.add((prim.ret_type, values))
        found.setdefault(prim.ret_type, []).append(ArgOption(Call(prim.name, (INPUT,)), values))
    return found


def _plain(v: Any) -> Any:
    return int(v) if isinstance(v, np.integer) else v


def infer_color_map(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """The cell-wise colour map taking every state grid to its train output, if one exists.

    Colours never seen in the train pairs map to themselves. The identity map is not returned.
    """
    mapping = list(range(10))
    fixed = [False] * 10
    for a, b in zip(state, outputs, strict=False):
        if a.shape != b.shape:
            return []
        codes = np.unique(a.astype(np.int16) * 10 + b)
        for code in codes.tolist():
            src, dst = divmod(code, 10)
            if fixed[src] and mapping[src] != dst:
                return []
            mapping[src], fixed[src] = dst, True
    text = "".join(str(c) for c in mapping)
    return [] if text == IDENTITY_MAP else [text]


def infer_window(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """Windows at one place from one corner where every train output lies in its state grid, up to
    two that cut different test grids (top-left first, then nearer the corner). Never a single cell:
    one colour at a fixed place fits by chance far more often than it is the rule."""
    if not outputs or len(state) != len(outputs):
        return []
    shape = outputs[0].shape
    if shape == (1, 1) or any(b.shape != shape for b in outputs):
        return []
    common: set[tuple[str, int, int]] | None = None
    for a, b in zip(state, outputs, strict=True):
        if a.shape == shape or a.shape[0] < shape[0] or a.shape[1] < shape[1]:
            return []
        found = np.argwhere((np.lib.stride_tricks.sliding_window_view(a, shape) == b).all(axis=(2, 3)))
        places = corner_places(found, a.shape[0] - shape[0], a.shape[1] - shape[1])
        common = places if common is None else common & places
        if not common:
            return []
    h, w = shape
    texts = [f"{corner}:{dr},{dc},{h},{w}" for corner, dr, dc in nearest_corner_first(common or ())]
    return distinct_on_test(texts, crop_window, test_state, 2)


# type name -> inferrer(state grids on the train inputs, train outputs, state grids on the test
# inputs) -> literal values
INFERRERS: dict[str, Callable[..., list[Any]]] = {
    "ColorMap": infer_color_map,
    "LocalRule": infer_local_rules,
    "ObjectRule": infer_object_rule,
    "ObjectPick": infer_object_pick,
    "GridTable": infer_grid_table,
    "CellRule": infer_cell_rule,
    "FeatureRule": infer_feature_rules,
    "Window": infer_window,
    "Placement": infer_placement,
}


def color_map_bits(text: str) -> float:
    """Description length of a colour map: each colour it changes names one of ten colours."""
    return sum(a != b for a, b in zip(text, IDENTITY_MAP, strict=True)) * math.log2(10)


def window_bits(text: str) -> float:
    """Description length of a window: its corner, and its offsets from it (its size is the output's)."""
    dr, dc = (int(v) for v in text.split(":")[1].split(",")[:2])
    return 2.0 + math.log2(1 + dr) + math.log2(1 + dc)


# type name -> bits it takes to state an inferred value (its share of the program's cost)
INFERRED_BITS: dict[str, Callable[[Any], float]] = {
    "ColorMap": color_map_bits,
    "LocalRule": local_rule_bits,
    "ObjectRule": object_rule_bits,
    "ObjectPick": object_pick_bits,
    "GridTable": grid_table_bits,
    "CellRule": cell_rule_bits,
    "FeatureRule": feature_rule_bits,
    "Window": window_bits,
    "Placement": placement_bits,
}

# inferred only on the task's own inputs (the root state): too slow to infer at every state
ROOT_ONLY: frozenset[str] = frozenset({"FeatureRule", "Placement"})


def inferred_options(
    type_name: str,
    state_train: Sequence[Grid],
    outputs: Sequence[Grid],
    n_examples: int,
    per_bit: float,
    state_test: Sequence[Grid] = (),
) -> list[ArgOption]:
    """Inferred literals for one slot. The test state grids are the state's own values (never test
    outputs): an inferrer may use them to refuse a value that would not cover them."""
    infer = INFERRERS.get(type_name)
    if infer is None:
        return []
    bits = INFERRED_BITS[type_name]
    values = infer(state_train, outputs, state_test)
    return [ArgOption(Const(v), (v,) * n_examples, per_bit * bits(v)) for v in values]


def is_inferred(type_name: str) -> bool:
    """Types with an empty domain are read off the train pairs, never enumerated."""
    return type_name != "Grid" and not TYPES[type_name].domain
