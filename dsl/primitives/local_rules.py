"""Local rules: each cell's new colour as a function of a small neighbourhood (a cellular-automaton
step), written out as a lookup table so the program text states the whole rule.

A rule reads `F:K>c,K>c,...`: F names the neighbourhood, each K lists its digits (`a` for outside
the grid) and c is the colour such a cell becomes. Cells whose neighbourhood is not listed keep their
colour, so only the changes are written. A backed-off rule chains sections with `;`, finest first:
each cell follows the first section that lists its neighbourhood (an entry may keep the colour, to
stop a coarser section from changing it). Neighbourhoods, finest first:
- `n`: the 3x3 block row by row; `n0` the same with outside read as colour 0;
- `x`: the cell and its four edge neighbours (up, left, centre, right, down); `x0` likewise;
- `k`: the cell's colour, then how many of its eight neighbours are non-zero;
- `s`: the cell's colour, the set of colours among its four edge neighbours and the set among its
  four corner neighbours, written `c-EDGE-CORNER` (e.g. `0-1-` for a 0 next to a 1 edgewise);
- `s8`: the cell's colour and the set of colours among all eight neighbours, written `c-SET`;
- `rc`: the cell's colour, the set of colours in its row and the set in its column, `c-ROW-COLUMN`;
- `s@C`, `s8@C`, `rc@C`: those set neighbourhoods seeing only the colours C (e.g. `s8@2`: whether
  a 2 is among the neighbours, whatever else is), so colours that do not matter do not split keys;
- `pRC` / `qRC`: the cell's colour and its row index modulo R and column index modulo C, counted
  from the top-left (`p`) or the bottom-right (`q`) corner, `c-ROW-COLUMN` (periodic recolourings);
- `oRC`: the cell's place in its object (8-connected, any colours): `1` if it is filled (`0` for
  background), then its row and column offsets from the object's box corner modulo R and C,
  `f-ROW-COLUMN`. Colour-blind, so every other cell of a line or band of any colour can change
  alike, counted from where each object starts rather than from the grid's corner.
The set keys forget where and how often a colour occurs, so a rule read off the train pairs covers
more of the neighbourhoods a test input shows (a pixel's halo, a shape's outline).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dsl.primitives.common import fresh, pad
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid, LocalRule

OUTSIDE = 10
BLOCK = tuple((dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1))
CROSS = ((-1, 0), (0, -1), (0, 0), (0, 1), (1, 0))
# neighbourhood name -> (cells read, in the order written; what outside the grid reads as)
NEIGHBOURHOODS: dict[str, tuple[tuple[tuple[int, int], ...], int]] = {
    "n": (BLOCK, OUTSIDE),
    "n0": (BLOCK, 0),
    "x": (CROSS, OUTSIDE),
    "x0": (CROSS, 0),
}
COUNTED = "k"
EDGE, CORNER = ((-1, 0), (0, -1), (0, 1), (1, 0)), ((-1, -1), (-1, 1), (1, -1), (1, 1))
# set neighbourhood name -> the groups of neighbours whose colour sets the key lists
SETS: dict[str, tuple[tuple[tuple[int, int], ...], ...]] = {"s": (EDGE, CORNER), "s8": (EDGE + CORNER,)}
LINES = "rc"  # a set neighbourhood over the cell's whole row and column
SET_GROUPS = {**{name: len(groups) for name, groups in SETS.items()}, LINES: 2}
# position neighbourhood name -> (row period, column period, counted from the bottom-right)
POSITIONS: dict[str, tuple[int, int, bool]] = {
    "p12": (1, 2, False),
    "p13": (1, 3, False),
    "p21": (2, 1, False),
    "p31": (3, 1, False),
    "p22": (2, 2, False),
    "q12": (1, 2, True),
    "q21": (2, 1, True),
}
NAMES = (*NEIGHBOURHOODS, COUNTED, *SETS, LINES, *POSITIONS)
# place-in-object name -> (row period, column period); read by their own inferrer, coarsest first
PLACES: dict[str, tuple[int, int]] = {
    "o12": (1, 2),
    "o21": (2, 1),
    "o22": (2, 2),
    "o23": (2, 3),
    "o32": (3, 2),
    "o33": (3, 3),
}
PERIODIC = {**{name: spec[:2] for name, spec in POSITIONS.items()}, **PLACES}  # keys f-ROW-COLUMN
RULE_NAMES = (*NAMES, *PLACES)  # every neighbourhood a rule's section may name


def split_name(name: str) -> tuple[str, int | None]:
    """(neighbourhood, bit mask of the colours a filtered set neighbourhood sees, or None)."""
    base, at, colours = name.partition("@")
    if not at:
        return name, None
    if base not in SET_GROUPS or not colours.isdigit():
        raise Refused(f"bad filtered neighbourhood {name!r}")
    return base, sum(1 << int(c) for c in set(colours))


def filtered_codes(codes: np.ndarray, base: str, seen: int) -> np.ndarray:
    """Set-neighbourhood codes with the colours outside the bit mask `seen` dropped from every set."""
    groups = SET_GROUPS[base]
    keep = sum(seen << (10 * i) for i in range(groups))
    return codes & (np.int64(-1) << (10 * groups) | keep)


def key_length(name: str) -> int:
    return 2 if name == COUNTED else len(NEIGHBOURHOODS[name][0])


def centre_digit(name: str) -> int:
    """Position of the cell's own colour among its key's digits, counted from the left."""
    return 0 if name == COUNTED else key_length(name) // 2


def own_colours(codes: np.ndarray, name: str) -> np.ndarray:
    """The cell's own colour inside each neighbourhood code."""
    name = split_name(name)[0]
    if name in PLACES:  # the key holds no colour: every entry changes its cells
        return np.full(np.shape(codes), -1, dtype=np.int64)
    if name in POSITIONS:
        return codes >> 8
    if name in SET_GROUPS:
        return codes >> (10 * SET_GROUPS[name])
    return (codes // 11 ** (key_length(name) - 1 - centre_digit(name))) % 11


def neighbourhood_codes(grid: Grid, name: str) -> np.ndarray:
    """One integer per cell encoding its neighbourhood: base-11 digits (10 = outside), or for a set
    neighbourhood the cell's colour followed by one 10-bit colour set per group of neighbours."""
    base, seen = split_name(name)
    if seen is not None:
        return filtered_codes(neighbourhood_codes(grid, base), base, seen)
    if name in POSITIONS:
        period_r, period_c, from_end = POSITIONS[name]
        h, w = grid.shape
        rows, cols = np.arange(h)[:, None], np.arange(w)[None, :]
        if from_end:
            rows, cols = h - 1 - rows, w - 1 - cols
        return (grid.astype(np.int64) << 8) | ((rows % period_r) << 4) | (cols % period_c)
    if name in PLACES:
        return place_codes(place_offsets(grid), name)
    if name == LINES:
        bits = np.left_shift(1, grid.astype(np.int64))
        rows = np.bitwise_or.reduce(bits, axis=1, keepdims=True)
        cols = np.bitwise_or.reduce(bits, axis=0, keepdims=True)
        return (grid.astype(np.int64) << 20) | (rows << 10) | cols
    if name in SETS:
        return _set_codes(grid, SETS[name])
    if name == COUNTED:
        padded = pad(grid != 0, 1).astype(np.int64)
        h, w = grid.shape
        count = sum(
            padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w] for dr, dc in BLOCK if (dr, dc) != (0, 0)
        )
        return grid.astype(np.int64) * 11 + count
    cells, outside = NEIGHBOURHOODS[name]
    padded = pad(grid.astype(np.int64), 1, outside)
    h, w = grid.shape
    codes = np.zeros((h, w), dtype=np.int64)
    for dr, dc in cells:
        codes = codes * 11 + padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w]
    return codes


def place_offsets(grid: Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(filled, row offset, column offset) of every cell from its 8-connected object's box corner;
    background cells read 0 offsets. Every place neighbourhood is these modulo its periods."""
    comps = label(grid, 8, False)
    filled = comps.labels > 0
    rows, cols = np.indices(grid.shape)
    if comps.count:
        corners = np.array([(box[0].start, box[1].start) for box in comps.boxes] + [(0, 0)])
        at = comps.labels - 1  # background reads the extra (0, 0) corner, then is zeroed below
        rows, cols = np.where(filled, rows - corners[at, 0], 0), np.where(filled, cols - corners[at, 1], 0)
    return filled, rows, cols


def place_codes(offsets: tuple[np.ndarray, np.ndarray, np.ndarray], name: str) -> np.ndarray:
    filled, rows, cols = offsets
    period_r, period_c = PLACES[name]
    return (filled.astype(np.int64) << 8) | ((rows % period_r) << 4) | (cols % period_c)


def _set_codes(grid: Grid, groups: tuple[tuple[tuple[int, int], ...], ...]) -> np.ndarray:
    h, w = grid.shape
    bits = pad(np.left_shift(1, grid.astype(np.int64)), 1)  # outside the grid: no colour
    codes = grid.astype(np.int64)
    for group in groups:
        present = np.zeros((h, w), dtype=np.int64)
        for dr, dc in group:
            present |= bits[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w]
        codes = (codes << 10) | present
    return codes


def encode_key(code: int, name: str) -> str:
    name = split_name(name)[0]
    if name in PERIODIC:
        return f"{code >> 8}-{code >> 4 & 15}-{code & 15}"
    if name in SET_GROUPS:
        groups = []
        for _ in range(SET_GROUPS[name]):
            code, present = code >> 10, code & 1023
            groups.append("".join(str(c) for c in range(10) if present >> c & 1))
        return "-".join([str(code), *reversed(groups)])
    digits = []
    for _ in range(key_length(name)):
        code, d = divmod(code, 11)
        digits.append("a" if d == OUTSIDE else str(d))
    return "".join(reversed(digits))


def _decode_key(text: str, name: str) -> int:
    name = split_name(name)[0]
    if name in PERIODIC:
        parts = text.split("-")
        period_r, period_c = PERIODIC[name]
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise Refused(f"bad position key {text!r}")
        own, r, c = (int(p) for p in parts)
        if own > (1 if name in PLACES else 9) or r >= period_r or c >= period_c:
            raise Refused(f"bad position key {text!r}")
        return own << 8 | r << 4 | c
    if name in SET_GROUPS:
        own, *groups = text.split("-")
        if len(own) != 1 or not own.isdigit() or len(groups) != SET_GROUPS[name]:
            raise Refused(f"bad set key {text!r}")
        code = int(own)
        for group in groups:
            if not group.isdigit() and group:
                raise Refused(f"bad set key {text!r}")
            code = (code << 10) | sum(1 << int(c) for c in set(group))
        return code
    if len(text) != key_length(name) or any(ch not in "0123456789a" for ch in text):
        raise Refused(f"bad local rule key {text!r}")
    code = 0
    for ch in text:
        code = code * 11 + (OUTSIDE if ch == "a" else int(ch))
    return code


@lru_cache(maxsize=256)
def parse_rule(rule: str) -> tuple[tuple[str, np.ndarray, np.ndarray], ...]:
    """(neighbourhood, sorted codes, new colours) per section of a rule's text; Refused if malformed."""
    return tuple(_parse_section(section) for section in rule.split(";"))


def _parse_section(section: str) -> tuple[str, np.ndarray, np.ndarray]:
    name, _, body = section.partition(":")
    if split_name(name)[0] not in RULE_NAMES or not body:
        raise Refused(f"local rule must read F:K>c,... with F in {RULE_NAMES}, got {section[:20]!r}")
    pairs = []
    for entry in body.split(","):
        key, _, colour = entry.partition(">")
        if colour not in set("0123456789"):
            raise Refused(f"bad local rule entry {entry!r}")
        pairs.append((_decode_key(key, name), int(colour)))
    pairs.sort()
    codes = np.array([p[0] for p in pairs], dtype=np.int64)
    if len(np.unique(codes)) != len(codes):
        raise Refused("local rule lists a neighbourhood twice")
    return name, codes, np.array([p[1] for p in pairs], dtype=np.uint8)


@primitive(cost=2.0)
def apply_local_rule(grid: Grid, rule: LocalRule) -> Grid:
    """Recolour every cell whose neighbourhood the rule lists; the others keep their colour."""
    out = fresh(grid)
    open_cells = np.ones(grid.shape, dtype=bool)  # not yet decided by an earlier section
    for name, codes, colours in parse_rule(rule):
        cell = neighbourhood_codes(grid, name)
        at = np.clip(np.searchsorted(codes, cell), 0, len(codes) - 1)
        hit = (codes[at] == cell) & open_cells
        out[hit] = colours[at][hit]
        open_cells &= ~hit
    return out
