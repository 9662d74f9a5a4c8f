"""Object-level arguments read off the train pairs: object recolourings and picks
(`dsl.primitives.object_rules`) and whole-grid classification tables (`dsl.primitives.grid_tables`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from dsl.grid import Grid, grid_key
from dsl.primitives.components import label
from dsl.primitives.grid_tables import GRID_PROPERTIES, encode_grid
from dsl.primitives.object_rules import (
    PICK_MODES,
    PROPERTIES,
    SCOPES,
    Objects,
    object_cut,
    pick_object_by,
    scope_objects,
    select,
)
from dsl.registry import Refused
from synth.inference_places import distinct_on_test

MAX_OBJECT_RULES = 3  # options per slot: the fewest-entry rules, so a search step stays cheap


def _scope_all(state: Sequence[Grid], test_state: Sequence[Grid], scope: str) -> tuple[list, list] | None:
    """The objects in `scope` of every train and every test grid; None when some grid has none."""
    try:
        return [scope_objects(a, scope) for a in state], [scope_objects(g, scope) for g in test_state]
    except Refused:
        return None


def _object_targets(
    labels: np.ndarray, count: int, output: Grid, changed: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Per object: may it keep its colours, and the one colour it shows in the output (-1: several).
    None when a cell outside the objects changes or an object that changes shows several colours
    (no recolouring explains it)."""
    cells = labels > 0
    if (changed & ~cells).any():
        return None  # a cell outside every object changes (holes only: the open background does)
    codes = np.unique(labels[cells].astype(np.int64) * 10 + output[cells])
    owners, colours = codes // 10, codes % 10
    per_object = np.bincount(owners, minlength=count + 1)[1:]
    colour = np.full(count, -1, dtype=np.int64)
    single = per_object == 1
    colour[owners[single[owners - 1]] - 1] = colours[single[owners - 1]]
    keep = np.bincount(labels[changed], minlength=count + 1)[1:] == 0
    if np.any(~keep & ~single):
        return None
    return keep, colour


def infer_object_rule(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """Object recolourings (`object_rules.recolor_objects_by`) that take every state grid to its
    train output: each object's new colour (or keep) read off as a function of one property.

    Only rules whose table knows every value the test grids' objects show; the fewest entries first.
    """
    if not state or any(a.shape != b.shape for a, b in zip(state, outputs, strict=False)):
        return []
    changed = [a != b for a, b in zip(state, outputs, strict=False)]
    if not any(c.any() for c in changed):
        return []
    on_zero = [bool((a[c] == 0).all()) for a, c in zip(state, changed, strict=True)]
    on_objects = [bool((a[c] != 0).all()) for a, c in zip(state, changed, strict=True)]
    found: list[tuple[int, int, int, str]] = []
    for s_i, scope in enumerate(SCOPES):
        if not all(on_zero if scope[1] in "bh" else on_objects):
            continue
        scoped = _scope_all(state, test_state, scope)
        if scoped is None:
            continue
        objects, tests = scoped
        targets = []
        for b, c, objs in zip(outputs, changed, objects, strict=True):
            t = _object_targets(objs.comps.labels, objs.comps.count, b, c)
            if t is None:
                break
            targets.append(t)
        if len(targets) != len(state):
            continue
        keep = np.concatenate([t[0] for t in targets])
        colour = np.concatenate([t[1] for t in targets])
        found += [
            (n, p_i, s_i, f"{scope}.{rule}") for n, p_i, rule in _object_tables(objects, tests, keep, colour)
        ]
        if scope[1] != "s" or found:
            continue
        # single-colour objects: only the colours that change somewhere take part, the rest stay
        own = np.concatenate([o.prop("color") for o in objects])
        active = sorted(set(own[~keep].tolist()))
        if len(active) == len(set(own.tolist())):
            continue
        part = [np.isin(o.prop("color"), active) for o in objects]
        tested = [np.isin(t.prop("color"), active) for t in tests]
        only = "".join(str(c) for c in active)
        found += [
            (n, p_i, s_i, f"{scope}@{only}.{rule}")
            for n, p_i, rule in _object_tables(objects, tests, keep, colour, part, tested)
        ]
    return [rule for *_, rule in sorted(found)[:MAX_OBJECT_RULES]]


def _object_tables(
    objects: list[Objects],
    tests: list[Objects],
    keep: np.ndarray,
    colour: np.ndarray,
    part: list[np.ndarray] | None = None,
    tested: list[np.ndarray] | None = None,
) -> list[tuple[int, int, str]]:
    """(entries, property index, `prop:v>c,...`) for every property whose table explains the train
    objects (those in `part`, when given) and knows every value the test objects (in `tested`) show."""
    chosen = np.concatenate(part) if part is not None else slice(None)
    masks: list[np.ndarray | None] = list(tested) if tested is not None else [None] * len(tests)
    out = []
    for p_i, prop in enumerate(PROPERTIES + _comparisons(objects, keep, chosen)):
        values = np.concatenate([o.prop(prop) for o in objects])[chosen]
        table = _object_table(values, keep[chosen], colour[chosen])
        if not table:
            continue
        seen = set(values.tolist())
        test_values = [
            t.prop(prop) if m is None else t.prop(prop)[m] for t, m in zip(tests, masks, strict=True)
        ]
        if any(not set(v.tolist()) <= seen for v in test_values):
            continue
        rank = len(table) + (3 if p_i >= len(PROPERTIES) else 0)  # a comparison also states its number
        out.append((rank, p_i, f"{prop}:" + ",".join(f"{v}>{c}" for v, c in sorted(table.items()))))
    return out


COMPARED = ("size", "h", "w", "ncolor")  # properties also tried as `size=k`, `size>k` and `size%2`


def _comparisons(objects: list[Objects], keep: np.ndarray, chosen: np.ndarray | slice) -> tuple[str, ...]:
    """`P=k` and `P>k` for the compared properties, with k the values of the objects that change, and
    `P%2`: thresholds, single values and parities generalise to test objects of sizes no train object
    has."""
    out = []
    for base in COMPARED:
        values = np.concatenate([o.prop(base) for o in objects])[chosen]
        changing = sorted(set(values[~keep[chosen]].tolist()))
        if len(changing) > 8:
            continue
        out += [f"{base}={k}" for k in changing]
        out += [f"{base}>{k}" for k in sorted(set(values.tolist()))[:-1]]
    return tuple(out) + tuple(f"{base}%2" for base in COMPARED)


def _object_table(values: np.ndarray, keep: np.ndarray, colour: np.ndarray) -> dict[int, int] | None:
    """value -> colour for the values whose objects all take one colour (values whose objects all
    keep theirs are left out); None if some value's objects disagree or nothing would change."""
    table = {}
    for v in np.unique(values).tolist():
        at = values == v
        if keep[at].all():
            continue
        colours = np.unique(colour[at])
        if len(colours) != 1 or colours[0] < 0:
            return None
        table[v] = int(colours[0])
    return table or None


def _recoloured(cut: Grid, output: Grid) -> bool:
    """Whether the output is the cut with its figure repainted, each colour by one non-zero colour (a
    later step, such as a recolouring, can then make the output from the cut)."""
    if not np.array_equal(cut == 0, output == 0):
        return False
    codes = np.unique(cut.astype(np.int16) * 10 + output)
    return len(np.unique(codes // 10)) == len(codes)


def _picked(
    state: Grid, output: Grid, objs: Objects, mode: str, repainted: bool
) -> tuple[set[int], set[int]]:
    """The objects whose cut (in `mode`) is the output, and (when `repainted`) those whose cut is the
    output up to a repainting of its figure."""
    exact, loose = set(), set()
    for i, (rows, cols) in enumerate(objs.comps.boxes):
        inset = 2 if mode == "i" else 0
        if (rows.stop - rows.start - inset, cols.stop - cols.start - inset) != output.shape:
            continue
        cut = object_cut(state, objs, i, mode)
        if np.array_equal(cut, output):
            exact.add(i)
        elif repainted and _recoloured(cut, output):
            loose.add(i)
    return exact, loose


def infer_object_pick(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """Object picks (`object_rules.pick_object_by`) whose property singles out, in every state grid,
    an object whose cut (or box) is the train output, and exactly one object in every test grid.
    When none is, the picks whose cut is the output with its figure repainted (so a recolouring step
    can follow), and failing those the generic picks."""
    if not state:
        return []
    exact: list[tuple[int, int, int, str]] = []
    loose: list[tuple[int, int, int, str]] = []
    # a repainted cut is worth offering only when the output is a part of the grid, not one cell
    shrinks = all(a.size > b.size > 1 for a, b in zip(state, outputs, strict=False))
    for s_i, scope in enumerate(SCOPES):
        if scope[1] in "bh":
            continue
        conn, by_color = int(scope[0]), scope[1] == "s"
        boxes_fit = [
            any(
                (r.stop - r.start - d, c.stop - c.start - d) == b.shape
                for r, c in label(a, conn, by_color).boxes
                for d in (0, 2)
            )
            for a, b in zip(state, outputs, strict=False)
        ]
        if not all(boxes_fit):
            continue
        scoped = _scope_all(state, test_state, scope)
        if scoped is None:
            continue
        objects, tests = scoped
        for mode in PICK_MODES:
            repainted = shrinks and not exact  # repainted cuts count only while no exact pick exists
            both = [
                _picked(a, b, o, mode, repainted) for a, b, o in zip(state, outputs, objects, strict=False)
            ]
            exact += _selections(objects, tests, [e for e, _ in both], f"{scope}.{mode}", s_i)
            if not exact and shrinks:
                loose += _selections(objects, tests, [e | m for e, m in both], f"{scope}.{mode}", s_i)
    if exact:
        return [rule for *_, rule in sorted(exact)[:MAX_OBJECT_RULES]]
    grids = list(state) + list(test_state)
    if loose:
        # picks that cut the same objects would only widen the search
        return distinct_on_test([rule for *_, rule in sorted(loose)], pick_object_by, grids, MAX_OBJECT_RULES)
    return _generic_picks(grids) if all(a.size > b.size for a, b in zip(state, outputs, strict=False)) else []


def _selections(
    objects: list[Objects], tests: list[Objects], matches: list[set[int]], prefix: str, s_i: int
) -> list[tuple[int, int, int, str]]:
    """(order keys, rule) of every property and selector that picks one of the matching objects in
    each train grid and exactly one object in each test grid."""
    if not all(matches):
        return []
    found = []
    for p_i, prop in enumerate(PROPERTIES):
        first = objects[0].prop(prop)
        selectors = ["max", "min", "odd", *sorted({str(first[i]) for i in matches[0]})]
        for k, sel in enumerate(selectors):
            if not all(_picks_one(o.prop(prop), sel, m) for o, m in zip(objects, matches, strict=True)):
                continue
            if any(len(select(t.prop(prop), sel)) != 1 for t in tests):
                continue
            found.append((min(k, 3), p_i, s_i, f"{prefix}.{prop}={sel}"))
    return found


def _picks_one(values: np.ndarray, sel: str, allowed: set[int]) -> bool:
    """Whether the selector singles out one object, and one of the allowed."""
    chosen = select(values, sel)
    return len(chosen) == 1 and int(chosen[0]) in allowed


# picks offered when no pick yields the output itself, so a later step can transform the object;
# the selections the object primitives (largest, smallest, unique colour...) do not already make
GENERIC_PICKS = ("8m.c.ncolor=max", "8m.c.hole=1", "8s.c.contact=1", "8s.c.shape8=odd", "8m.c.sym=odd")


def _generic_picks(grids: Sequence[Grid]) -> list[str]:
    """The generic picks that single out exactly one object in every grid."""
    out = []
    for pick in GENERIC_PICKS:
        scope, _, rest = pick.partition(".c.")
        prop, _, sel = rest.partition("=")
        try:
            if all(len(select(scope_objects(g, scope).prop(prop), sel)) == 1 for g in grids):
                out.append(pick)
        except Refused:
            continue
    return out[:MAX_OBJECT_RULES]


def infer_grid_table(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """Tables (`grid_tables.lookup_grid`) from a whole-grid property of the state to the output:
    only when some output repeats (a class shown twice), the property's values and the outputs
    match one to one (no value memorises a single pair), and the test grids' values are all in the
    table. The simplest such property only."""
    keys = [grid_key(b) for b in outputs]
    if len(set(keys)) == len(keys) or len(set(keys)) == 1:
        return []  # every output differs (nothing to classify) or none does (a constant: no table)
    for prop, measure in GRID_PROPERTIES.items():
        values = [measure(a) for a in state]
        table: dict[int, bytes] = {}
        if any(table.setdefault(v, k) != k for v, k in zip(values, keys, strict=True)):
            continue
        if len(table) != len(set(keys)) or any(measure(g) not in table for g in test_state):
            continue
        grids = {v: outputs[values.index(v)] for v in table}
        return [f"{prop}:" + ";".join(f"{v}>{encode_grid(g)}" for v, g in sorted(grids.items()))]
    return []


def grid_table_bits(text: str) -> float:
    """Description length of a grid table: choosing the property (~2 bits) and one bit per entry;
    the grids themselves are copied from the train outputs, not chosen."""
    return 2.0 + text.count(";") + 1


def object_rule_bits(text: str) -> float:
    """Description length of an object recolouring: choosing the scope and the property (~6 bits),
    then one bit per forced table entry (as for local rules); a comparison (`size=6`, `h%2`) also states
    its number (3 bits)."""
    prop = text.partition(":")[0].partition(".")[2]
    return 6.0 + text.count(",") + 1 + (3.0 if any(op in prop for op in "=>%") else 0.0)


def object_pick_bits(text: str) -> float:
    """Description length of an object pick: scope, mode and property (~7 bits), and the selector
    (a named extreme, or a value: two more bits); a generic pick is one of a short list."""
    if text in GENERIC_PICKS:
        return math.log2(len(GENERIC_PICKS))
    return 7.0 + (0.0 if text.endswith(("=max", "=min", "=odd")) else 2.0)
