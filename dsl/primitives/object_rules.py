"""Objects recoloured or picked by a measured property, with the table read off the train pairs.

Many ARC tasks recolour each object by something measured on it (its size, whether it has a hole,
touches the border, is the largest...) or cut out the one object singled out by such a property.
Instead of one primitive per property, the property and its value -> colour table are a literal the
search infers (`synth.inference`), so the program text states the whole rule:

- `recolor_objects_by(I, '8m.size:1>3,4>2')`: every 8-connected multicolour object of 1 cell becomes
  colour 3, of 4 cells colour 2; objects whose value is not listed keep their colours
  (`'8s@5.size:...'`: only the objects of colour 5 take part);
- `pick_object_by(I, '4s.c.hole=1')`: the one 4-connected single-colour object with a hole, cut out.

A rule starts with its scope: connectivity `4`/`8` and the objects, `m` multicolour, `s` single
colour, `b` regions of background (0) cells, `h` only those the grid's edge cannot reach (holes, so
a frame's inside is filled by its size without the open background taking part; both always
4-connected). `PROPERTIES` lists the measures.
"""

from __future__ import annotations

import zlib
from collections import Counter
from functools import lru_cache

import numpy as np
from scipy import ndimage

from dsl.primitives.common import fresh
from dsl.primitives.components import Labelling, label
from dsl.primitives.regions import enclosed_mask
from dsl.registry import Refused, primitive
from dsl.types import Grid, ObjectPick, ObjectRule

SCOPES = ("8m", "4m", "8s", "4s", "4b", "4h")
PROPERTIES = (
    "extreme",  # 1 the largest, 2 the smallest, 0 any other (ties share)
    "border",  # touches the grid's edge
    "contact",  # touches (8 neighbours) a non-zero cell of another object
    "hole",  # encloses cells not its own (a hole, or whatever fills it)
    "rect",  # fills its bounding box
    "sym",  # its cut reads the same mirrored left-right or top-bottom
    "ncolor",  # distinct colours
    "unique",  # no other object has its shape (1), else 0
    "color",  # its commonest colour
    "rank",  # size rank, 1 for the largest; equal sizes share a rank
    "rrank",  # size rank, 1 for the smallest
    "h",  # height of its box
    "w",  # width of its box
    "size",  # cells
    "shape8",  # its shape up to rotation and reflection (a hash)
    "shape",  # its exact shape (a hash)
    "top",  # its box's first row
    "left",  # its box's first column
    "sides",  # sides of its box it covers whole (a U covers 3, a frame 4)
    "stroke",  # 10 x its ends + its bends (an L 21, a U 22, a T 30): a drawn line's class at any size
)
# cut: the object alone in its box; box: everything inside its box; inside: the box without its rim
PICK_MODES = ("c", "x", "i")
_FOUR = ndimage.generate_binary_structure(2, 1)
_EIGHT = ndimage.generate_binary_structure(2, 2)
MAX_OBJECTS = 250  # more components than this is noise, not objects: refuse (and stay fast)


class Objects:
    """The objects of one scope in a grid; each property is measured on first use and kept
    (index i = label i + 1)."""

    def __init__(self, grid: Grid, comps: Labelling) -> None:
        self.grid = grid
        self.comps = comps
        self._props: dict[str, np.ndarray] = {}

    def prop(self, name: str) -> np.ndarray:
        """One value per object; Refused for an unknown property."""
        values = self._props.get(name)
        if values is None:
            measure = _MEASURES.get(name)
            if measure is not None:
                values = np.asarray(measure(self), dtype=np.int64)
            else:
                base, op, k = split_comparison(name)
                values = _compare(self.prop(base), op, k)
            values.flags.writeable = False
            self._props[name] = values
        return values

    def masks(self) -> list[np.ndarray]:
        """Each object's cells within its box."""
        labels = self.comps.labels
        return [labels[box] == i + 1 for i, box in enumerate(self.comps.boxes)]

    def colour_counts(self) -> np.ndarray:
        """Cells of each colour per object, shape (objects, 10)."""
        n, labels = self.comps.count, self.comps.labels
        codes = labels.astype(np.int64) * 10 + self.grid
        return np.bincount(codes.ravel(), minlength=(n + 1) * 10).reshape(n + 1, 10)[1:]


def split_comparison(name: str) -> tuple[str, str, int]:
    """(property, `=`, `>` or `%`, k) of a derived property such as `size=6` or `h>2` (1 where it
    holds, else 0) or `h%2` (the value modulo k: odd or even sides); Refused for anything else."""
    for op in "=>%":
        base, found, k = name.partition(op)
        if found and base in _MEASURES and k.isdigit():
            return base, op, int(k)
    raise Refused(f"unknown object property {name!r}")


def _compare(measured: np.ndarray, op: str, k: int) -> np.ndarray:
    if op == "%":
        if k < 2:
            raise Refused(f"modulus must be 2 or more, got {k}")
        return measured % k
    return (measured == k if op == "=" else measured > k).astype(np.int64)


def is_property(name: str) -> bool:
    """A measured property, or a comparison of one with a number."""
    try:
        return name in _MEASURES or bool(split_comparison(name))
    except Refused:
        return False


def scope_objects(grid: Grid, scope: str) -> Objects:
    """The objects of `scope` in `grid`; cached, since the search asks for the same grid often."""
    if scope not in SCOPES:
        raise Refused(f"unknown object scope {scope!r}")
    g = np.ascontiguousarray(grid, dtype=np.uint8)
    return _objects(g.tobytes(), g.shape, scope)


@lru_cache(maxsize=2048)
def _objects(data: bytes, shape: tuple[int, int], scope: str) -> Objects:
    grid = np.frombuffer(data, dtype=np.uint8).reshape(shape)
    conn = int(scope[0])
    if scope[1] == "b":
        comps = label((grid == 0).astype(np.uint8), conn, by_color=False)
    elif scope[1] == "h":
        comps = label(enclosed_mask(grid).astype(np.uint8), conn, by_color=False)
    else:
        comps = label(grid, conn, by_color=scope[1] == "s")
    if comps.count > MAX_OBJECTS:
        raise Refused(f"{comps.count} objects: noise, not objects")
    return Objects(grid, comps)


def _sizes(o: Objects) -> np.ndarray:
    return o.comps.sizes


def _heights(o: Objects) -> list[int]:
    return [r.stop - r.start for r, _ in o.comps.boxes]


def _widths(o: Objects) -> list[int]:
    return [c.stop - c.start for _, c in o.comps.boxes]


def _top(o: Objects) -> list[int]:
    return [r.start for r, _ in o.comps.boxes]


def _left(o: Objects) -> list[int]:
    return [c.start for _, c in o.comps.boxes]


def _border(o: Objects) -> list[int]:
    h, w = o.grid.shape
    return [int(r.start == 0 or c.start == 0 or r.stop == h or c.stop == w) for r, c in o.comps.boxes]


def _contact(o: Objects) -> list[int]:
    labels, grid = o.comps.labels, o.grid
    h, w = grid.shape
    out = []
    for i, (rows, cols) in enumerate(o.comps.boxes):
        r0, r1, c0, c1 = (
            max(rows.start - 1, 0),
            min(rows.stop + 1, h),
            max(cols.start - 1, 0),
            min(cols.stop + 1, w),
        )
        own = labels[r0:r1, c0:c1] == i + 1
        near = ndimage.binary_dilation(own, structure=_EIGHT) & ~own
        out.append(int((grid[r0:r1, c0:c1][near] != 0).any()))
    return out


def _rect(o: Objects) -> np.ndarray:
    return o.comps.sizes == np.array(_heights(o), dtype=np.int64) * np.array(_widths(o), dtype=np.int64)


def _rank(o: Objects) -> np.ndarray:
    sizes = o.comps.sizes
    return len(np.unique(sizes)) - np.searchsorted(np.unique(sizes), sizes)


def _rrank(o: Objects) -> np.ndarray:
    return np.searchsorted(np.unique(o.comps.sizes), o.comps.sizes) + 1


def _extreme(o: Objects) -> np.ndarray:
    sizes = o.comps.sizes
    if sizes.size == 0:
        return sizes
    return np.where(sizes == sizes.max(), 1, np.where(sizes == sizes.min(), 2, 0))


def _color(o: Objects) -> np.ndarray:
    return o.colour_counts().argmax(axis=1)


def _ncolor(o: Objects) -> np.ndarray:
    return np.count_nonzero(o.colour_counts(), axis=1)


def _hole(o: Objects) -> list[int]:
    """1 when some background cell inside the box has no 4-connected way out of it."""
    out = []
    for mask in o.masks():
        if min(mask.shape) < 3 or mask.all():
            out.append(0)
            continue
        _, n = ndimage.label(np.pad(~mask, 1, constant_values=True), _FOUR)
        out.append(int(n > 1))
    return out


def _sym(o: Objects) -> list[int]:
    out = []
    for i, box in enumerate(o.comps.boxes):
        cut = np.where(o.comps.labels[box] == i + 1, o.grid[box], 0)
        out.append(int(np.array_equal(cut, cut[:, ::-1]) or np.array_equal(cut, cut[::-1])))
    return out


def _shape(o: Objects) -> list[int]:
    return [_shape_hash(m) for m in o.masks()]


def _shape8(o: Objects) -> list[int]:
    out = []
    for m in o.masks():
        views = (m, m[::-1], m[:, ::-1], m[::-1, ::-1])
        out.append(min(_shape_hash(v) for u in views for v in (u, u.T)))
    return out


def _sides(o: Objects) -> list[int]:
    """How many of its box's four sides lie wholly on the object (why a bent line's class shows: an L
    covers two, a U three, a Z or T one at most)."""
    return [int(m[0].all()) + int(m[-1].all()) + int(m[:, 0].all()) + int(m[:, -1].all()) for m in o.masks()]


def _stroke(o: Objects) -> np.ndarray:
    """10 x ends (cells with one 4-neighbour in the object) + bends (cells with two, one across and
    one along): the same for a line drawing stretched, turned or mirrored, so an L, a U and a T are
    told apart whatever their arms' lengths (a Z counts as a U)."""
    labels = np.pad(o.comps.labels, 1)
    own = labels[1:-1, 1:-1]
    across = (labels[1:-1, :-2] == own).astype(np.int64) + (labels[1:-1, 2:] == own)
    along = (labels[:-2, 1:-1] == own).astype(np.int64) + (labels[2:, 1:-1] == own)
    n = o.comps.count + 1
    ends = np.bincount(own[(across + along == 1) & (own > 0)], minlength=n)[1:]
    bends = np.bincount(own[(across == 1) & (along == 1) & (own > 0)], minlength=n)[1:]
    return 10 * np.minimum(ends, 9) + np.minimum(bends, 9)


def _unique(o: Objects) -> list[int]:
    shapes = o.prop("shape").tolist()
    counts = Counter(shapes)
    return [int(counts[s] == 1) for s in shapes]


def _shape_hash(mask: np.ndarray) -> int:
    return zlib.crc32(np.packbits(mask).tobytes() + bytes(mask.shape)) % 1_000_000


_MEASURES = {
    "extreme": _extreme,
    "border": _border,
    "contact": _contact,
    "hole": _hole,
    "rect": _rect,
    "sym": _sym,
    "ncolor": _ncolor,
    "unique": _unique,
    "color": _color,
    "rank": _rank,
    "rrank": _rrank,
    "h": _heights,
    "w": _widths,
    "size": _sizes,
    "shape8": _shape8,
    "shape": _shape,
    "top": _top,
    "left": _left,
    "sides": _sides,
    "stroke": _stroke,
}


# -- recolouring ---------------------------------------------------------------------------------


def parse_recolor_rule(rule: str) -> tuple[str, str, dict[int, int], frozenset[int] | None]:
    """(scope, property, value -> colour, the colours of the objects it applies to or None for all)
    of `scope.prop:v>c,...` or `scope@COLOURS.prop:v>c,...`; Refused if malformed."""
    head, _, body = rule.partition(":")
    scoped, _, prop = head.partition(".")
    scope, at, only = scoped.partition("@")
    if scope not in SCOPES or not is_property(prop) or not body or (at and not only.isdigit()):
        raise Refused(f"object rule must read S.P:v>c,... with S in {SCOPES}, got {rule[:24]!r}")
    table = {}
    for entry in body.split(","):
        value, _, colour = entry.partition(">")
        if not value.isdigit() or len(colour) != 1 or not colour.isdigit() or int(value) in table:
            raise Refused(f"bad object rule entry {entry!r}")
        table[int(value)] = int(colour)
    return scope, prop, table, frozenset(int(c) for c in only) if at else None


@primitive(cost=2.0)
def recolor_objects_by(grid: Grid, rule: ObjectRule) -> Grid:
    """Paint each object whose measured property the rule lists with that value's colour (only the
    objects of the colours after `@`, when the scope names some)."""
    scope, prop, table, only = parse_recolor_rule(rule)
    objs = scope_objects(grid, scope)
    lookup = np.full(objs.comps.count + 1, -1, dtype=np.int64)
    colours = objs.prop("color").tolist()
    for i, value in enumerate(objs.prop(prop).tolist()):
        if only is None or colours[i] in only:
            lookup[i + 1] = table.get(value, -1)
    painted = lookup[objs.comps.labels]
    return fresh(np.where(painted >= 0, painted, grid))


# -- picking -------------------------------------------------------------------------------------


def parse_pick_rule(rule: str) -> tuple[str, str, str, str]:
    """(scope, mode, property, selector) of `scope.mode.prop=sel`; sel is a value, max, min or odd."""
    parts = rule.split(".")
    if len(parts) != 3 or "=" not in parts[2]:
        raise Refused(f"object pick must read S.M.P=v, got {rule[:24]!r}")
    scope, mode, (prop, _, sel) = parts[0], parts[1], parts[2].partition("=")
    if scope not in SCOPES or scope[1] in "bh" or mode not in PICK_MODES or not is_property(prop):
        raise Refused(f"bad object pick {rule[:24]!r}")
    if sel not in ("max", "min", "odd") and not sel.isdigit():
        raise Refused(f"bad object pick selector {sel!r}")
    return scope, mode, prop, sel


def select(values: np.ndarray, sel: str) -> np.ndarray:
    """Indices of the objects a selector singles out among their property values."""
    if values.size == 0:
        return values
    if sel == "max":
        return np.flatnonzero(values == values.max())
    if sel == "min":
        return np.flatnonzero(values == values.min())
    if sel == "odd":
        uniq, counts = np.unique(values, return_counts=True)
        return np.flatnonzero(np.isin(values, uniq[counts == 1])) if values.size >= 3 else values[:0]
    return np.flatnonzero(values == int(sel))


def object_cut(grid: Grid, objs: Objects, i: int, mode: str) -> Grid:
    """Object i alone in its box (`c`), its whole box with whatever lies inside (`x`), or what lies
    inside the box's rim (`i`: the contents of a frame)."""
    if mode == "c":
        return objs.comps.cut(i, grid)
    rows, cols = objs.comps.boxes[i]
    if mode == "i":
        if rows.stop - rows.start < 3 or cols.stop - cols.start < 3:
            raise Refused("a box under 3x3 has no inside")
        rows, cols = slice(rows.start + 1, rows.stop - 1), slice(cols.start + 1, cols.stop - 1)
    return fresh(grid[rows, cols])


@primitive(cost=2.0)
def pick_object_by(grid: Grid, pick: ObjectPick) -> Grid:
    """The one object the rule's property selects, cropped (refuses unless exactly one)."""
    scope, mode, prop, sel = parse_pick_rule(pick)
    objs = scope_objects(grid, scope)
    chosen = select(objs.prop(prop), sel)
    if chosen.size != 1:
        raise Refused(f"{chosen.size} objects match {pick}")
    return object_cut(grid, objs, int(chosen[0]), mode)
