"""Feature rules: each cell's new colour looked up on a few named features of the cell, some local
(its colour, a neighbour's), some not (the first colour along a ray, its object's size, whether it is
enclosed, its mirror cell's colour). The inferrer (`synth.inference_features`) picks the fewest
features whose table fits every train pair and knows every test cell, so the program states which
few properties decide a recolouring that no neighbourhood window sees.

A rule reads `F.G.H:a-b-c>v,...`: the features, then for each combination of their values the cell's
new colour, a digit or `=` (keeps its colour). A cell whose combination is not listed keeps its
colour. Feature values are small integers (`OUTSIDE` = 10 for "off the grid" or "none"):
- `c` colour, `crank` its frequency rank in the grid, `enc` background cut off from the border;
- `u d l r ul ur dl dr`: the neighbours' colours; `n4`, `n8` non-zero neighbours, `same8` equal ones;
- `ru rd rl rr rul rur rdl rdr`: the first colour met along each ray; `bh`, `bv` the colour on both
  sides in the row / column when the two agree; `hrow`, `hcol` whether the row / column has colour;
- the cell's 8-connected object: `osz` size (capped at 20), `orank` largest / smallest / other,
  `ocols` its colour count, `oedge` touching the grid's edge, `omaj`, `omin` its commonest and
  rarest colours, `inbox` inside some object's bounding box; `csz` its single-colour 4-connected part;
- `mlr mud m180 mt`: the colour of its mirror cell (left-right, up-down, centre, diagonal);
- `r2 c2 r3 c3`: row and column modulo 2 and 3; `border`: on the grid's edge.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.components import label
from dsl.primitives.compose import rank_permutation
from dsl.primitives.regions import enclosed_mask
from dsl.registry import Refused, primitive
from dsl.types import FeatureRule, Grid

OUTSIDE = 10
NEIGHBOURS = {"u": (-1, 0), "d": (1, 0), "l": (0, -1), "r": (0, 1)}
NEIGHBOURS |= {"ul": (-1, -1), "ur": (-1, 1), "dl": (1, -1), "dr": (1, 1)}
EDGE_NEIGHBOURS = ("u", "d", "l", "r")
KEEP = "="
SIZE_CAP = 20


def _neighbour(grid: Grid, dr: int, dc: int) -> np.ndarray:
    """Each cell's neighbour at (dr, dc), OUTSIDE off the grid."""
    padded = np.pad(grid.astype(np.int16), 1, constant_values=OUTSIDE)
    h, w = grid.shape
    return padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w]


def _ray(grid: Grid, dr: int, dc: int) -> np.ndarray:
    """The first non-zero colour met stepping from each cell by (dr, dc), OUTSIDE if none."""
    h, w = grid.shape
    n = max(h, w)
    padded = np.pad(grid.astype(np.int16), n)
    out = np.full(grid.shape, OUTSIDE, dtype=np.int16)
    for step in range(1, n):
        r, c = n + step * dr, n + step * dc
        seen = padded[r : r + h, c : c + w]
        out = np.where((out == OUTSIDE) & (seen != 0), seen, out)
    return out


def _between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The colour on both sides, OUTSIDE if the sides differ or either is missing."""
    return np.where((a == b) & (a != OUTSIDE), a, OUTSIDE)


def _object_features(grid: Grid) -> dict[str, np.ndarray]:
    objects = label(grid, 8, False)
    single = label(grid, 4, True)
    filled = objects.labels != 0
    size = np.zeros(grid.shape, dtype=np.int16)
    rank = np.full(grid.shape, 3, dtype=np.int16)  # 0 largest, 1 smallest, 2 other, 3 background
    colours = np.zeros(grid.shape, dtype=np.int16)
    in_box = np.zeros(grid.shape, dtype=np.int16)
    touches = np.full(grid.shape, 2, dtype=np.int16)  # 1 touches the grid's edge, 0 not, 2 background
    majority = np.full(grid.shape, OUTSIDE, dtype=np.int16)
    minority = np.full(grid.shape, OUTSIDE, dtype=np.int16)
    if objects.count:
        labels = objects.labels
        edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
        touches[filled] = np.isin(labels[filled], edge)
        hist = np.bincount(labels.ravel() * 10 + grid.ravel(), minlength=(objects.count + 1) * 10)
        hist = hist.reshape(-1, 10)[:, 1:]
        majority[filled] = (hist.argmax(axis=1) + 1)[labels[filled]]
        rare = np.where(hist > 0, hist, np.iinfo(np.int64).max).argmin(axis=1) + 1
        minority[filled] = rare[labels[filled]]
        sizes = objects.sizes
        size[filled] = np.minimum(sizes[labels[filled] - 1], SIZE_CAP)
        per_object = np.where(sizes == sizes.max(), 0, np.where(sizes == sizes.min(), 1, 2))
        rank[filled] = per_object[labels[filled] - 1]
        colours[filled] = np.count_nonzero(hist, axis=1)[labels[filled]]
        for box in objects.boxes:
            in_box[box] = 1
    own = np.zeros(grid.shape, dtype=np.int16)
    cells = single.labels != 0
    own[cells] = np.minimum(single.sizes[single.labels[cells] - 1], SIZE_CAP)
    return {
        "osz": size,
        "orank": rank,
        "ocols": colours,
        "inbox": in_box,
        "csz": own,
        "oedge": touches,
        "omaj": majority,
        "omin": minority,
    }


def _symmetric(grid: Grid) -> dict[str, np.ndarray]:
    g = grid.astype(np.int16)
    transposed = g.T if g.shape[0] == g.shape[1] else np.full(g.shape, OUTSIDE, dtype=np.int16)
    return {"mlr": g[:, ::-1], "mud": g[::-1], "m180": g[::-1, ::-1], "mt": transposed}


def _neighbourhood(grid: Grid) -> dict[str, np.ndarray]:
    """The eight neighbours' colours, how many are non-zero (edgewise, all) or equal to the cell, and
    whether the cell's row and column hold any colour."""
    around = {name: _neighbour(grid, *d) for name, d in NEIGHBOURS.items()}
    coloured = {name: ((v != 0) & (v != OUTSIDE)).astype(np.int16) for name, v in around.items()}
    filled = grid != 0
    rows = np.broadcast_to(filled.any(axis=1, keepdims=True), grid.shape).astype(np.int16)
    cols = np.broadcast_to(filled.any(axis=0, keepdims=True), grid.shape).astype(np.int16)
    return around | {
        "n4": sum(coloured[name] for name in EDGE_NEIGHBOURS),
        "n8": sum(coloured.values()),
        "same8": sum((v == grid).astype(np.int16) for v in around.values()),
        "hrow": rows,
        "hcol": cols,
    }


def _places(grid: Grid) -> dict[str, np.ndarray]:
    h, w = grid.shape
    r, c = np.indices((h, w), dtype=np.int16)
    border = ((r == 0) | (r == h - 1) | (c == 0) | (c == w - 1)).astype(np.int16)
    return {"r2": r % 2, "c2": c % 2, "r3": r % 3, "c3": c % 3, "border": border}


def _rays(grid: Grid) -> dict[str, np.ndarray]:
    rays = {"r" + name: _ray(grid, *d) for name, d in NEIGHBOURS.items()}
    return rays | {"bh": _between(rays["rl"], rays["rr"]), "bv": _between(rays["ru"], rays["rd"])}


FAMILIES: tuple[Callable[[Grid], dict[str, np.ndarray]], ...] = (
    lambda g: {"c": g.astype(np.int16), "crank": rank_permutation(g)[g], "enc": enclosed_mask(g)},
    _neighbourhood,
    _rays,
    _object_features,
    _symmetric,
    _places,
)


def cell_features(grid: Grid) -> dict[str, np.ndarray]:
    """Every feature of every cell, each an int16 array of the grid's shape (cached, read-only)."""
    g = np.ascontiguousarray(grid, dtype=np.uint8)
    return _cell_features(g.tobytes(), g.shape)


@lru_cache(maxsize=256)
def _cell_features(data: bytes, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    grid = np.frombuffer(data, dtype=np.uint8).reshape(shape)
    features: dict[str, np.ndarray] = {}
    for family in FAMILIES:
        for name, values in family(grid).items():
            array = np.ascontiguousarray(values, dtype=np.int16)
            array.setflags(write=False)
            features[name] = array
    return features


FEATURE_NAMES = tuple(cell_features(np.zeros((2, 2), dtype=np.uint8)))


def parse_feature_rule(rule: str) -> tuple[tuple[str, ...], dict[tuple[int, ...], str]]:
    try:
        head, body = rule.split(":", 1)
        names = tuple(head.split("."))
        table = {}
        for entry in filter(None, body.split(",")):
            key, value = entry.split(">")
            values = tuple(int(v) for v in key.split("-"))
            if len(values) != len(names) or not (value == KEEP or value.isdigit() and len(value) == 1):
                raise ValueError(entry)
            table[values] = value
    except ValueError as exc:
        raise Refused(f"malformed feature rule {rule!r}") from exc
    unknown = [n for n in names if n not in FEATURE_NAMES]
    if unknown:
        raise Refused(f"unknown cell features {unknown}")
    return names, table


@primitive(cost=1)
def recolor_by_features(grid: Grid, rule: FeatureRule) -> Grid:
    """Each cell takes the colour its feature values are listed with; unlisted cells keep theirs."""
    names, table = parse_feature_rule(rule)
    features = cell_features(grid)
    out = fresh(grid)
    keys = np.stack([features[n] for n in names], axis=-1)
    for values, colour in table.items():
        if colour != KEEP:
            out[(keys == np.array(values)).all(axis=-1)] = int(colour)
    return out
