"""The DSL's value types. Primitives annotate their parameters with these, and the registry reads the
annotations into a monomorphic signature table: each type is one name the search can look up.

A type's `domain` is the literal values a search may enumerate for it; a type with an empty domain is
never enumerated blindly: its values are inferred from the train pairs (e.g. a colour map).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

import numpy as np

Grid = np.ndarray
Color = NewType("Color", int)  # 0-9
Int = NewType("Int", int)  # small counts, factors, sizes: 1-5 when enumerated
Offset = NewType("Offset", int)  # signed shifts: -3..3 when enumerated
Conn = NewType("Conn", int)  # pixel connectivity: 4 or 8
ColorMap = NewType("ColorMap", str)  # ten digits: colour i becomes int(map[i]); inferred, not enumerated
LocalRule = NewType("LocalRule", str)  # a neighbourhood lookup table (dsl.primitives.local_rules); inferred
ObjectRule = NewType("ObjectRule", str)  # object property -> colour table (object_rules); inferred
ObjectPick = NewType("ObjectPick", str)  # which object a property singles out (object_rules); inferred
GridTable = NewType("GridTable", str)  # a whole-grid property -> output grid table (grid_tables); inferred
CellRule = NewType("CellRule", str)  # a cell property -> paint table (cell_rules); inferred
FeatureRule = NewType("FeatureRule", str)  # cell features -> colour table (feature_rules); inferred
Window = NewType("Window", str)  # a fixed-size window at a fixed place from one corner (crop); inferred
Placement = NewType("Placement", str)  # a canvas sized from the grid, and the grid's place on it; inferred


@dataclass(frozen=True)
class TypeSpec:
    name: str
    python: type
    domain: tuple[int | str, ...]


TYPES: dict[str, TypeSpec] = {
    spec.name: spec
    for spec in (
        TypeSpec("Grid", np.ndarray, ()),
        TypeSpec("Color", int, tuple(range(10))),
        TypeSpec("Int", int, (1, 2, 3, 4, 5)),
        TypeSpec("Offset", int, (-3, -2, -1, 1, 2, 3)),
        TypeSpec("Conn", int, (4, 8)),
        TypeSpec("ColorMap", str, ()),
        TypeSpec("LocalRule", str, ()),
        TypeSpec("ObjectRule", str, ()),
        TypeSpec("ObjectPick", str, ()),
        TypeSpec("GridTable", str, ()),
        TypeSpec("CellRule", str, ()),
        TypeSpec("FeatureRule", str, ()),
        TypeSpec("Window", str, ()),
        TypeSpec("Placement", str, ()),
    )
}

ANNOTATION_NAMES: dict[object, str] = {
    np.ndarray: "Grid",
    Color: "Color",
    Int: "Int",
    Offset: "Offset",
    Conn: "Conn",
    ColorMap: "ColorMap",
    LocalRule: "LocalRule",
    ObjectRule: "ObjectRule",
    ObjectPick: "ObjectPick",
    GridTable: "GridTable",
    CellRule: "CellRule",
    FeatureRule: "FeatureRule",
    Window: "Window",
    Placement: "Placement",
}
