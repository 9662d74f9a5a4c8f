"""Local rules: each cell's new colour as a function of a small neighbourhood (a cellular-automaton
step), written out as a lookup table so the program text states the whole rule.

A rule reads `F:K>c,K>c,...`: F names the neighbourhood, each K lists its digits (`a` for outside
the grid) and c is the colour such a cell becomes. Cells whose neighbourhood is not listed keep their
colour, so only the changes are written. Neighbourhoods, finest first:
- `n`: the 3x3 block row by row; `n0` the same with outside read as colour 0;
- `x`: the cell and its four edge neighbours (up, left, centre, right, down); `x0` likewise;
- `k`: the cell's colour, then how many of its eight neighbours are non-zero.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dsl.primitives.common import fresh
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
NAMES = (*NEIGHBOURHOODS, COUNTED)


def key_length(name: str) -> int:
    return 2 if name == COUNTED else len(NEIGHBOURHOODS[name][0])


def centre_digit(name: str) -> int:
    """Position of the cell's own colour among its key's digits, counted from the left."""
    return 0 if name == COUNTED else key_length(name) // 2


def neighbourhood_codes(grid: Grid, name: str) -> np.ndarray:
    """One integer per cell encoding its neighbourhood's digits in base 11 (10 = outside)."""
    if name == COUNTED:
        padded = np.pad(grid != 0, 1).astype(np.int64)
        h, w = grid.shape
        count = sum(
            padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w] for dr, dc in BLOCK if (dr, dc) != (0, 0)
        )
        return grid.astype(np.int64) * 11 + count
    cells, outside = NEIGHBOURHOODS[name]
    padded = np.pad(grid.astype(np.int64), 1, constant_values=outside)
    h, w = grid.shape
    codes = np.zeros((h, w), dtype=np.int64)
    for dr, dc in cells:
        codes = codes * 11 + padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w]
    return codes


def encode_key(code: int, name: str) -> str:
    digits = []
    for _ in range(key_length(name)):
        code, d = divmod(code, 11)
        digits.append("a" if d == OUTSIDE else str(d))
    return "".join(reversed(digits))


def _decode_key(text: str) -> int:
    code = 0
    for ch in text:
        code = code * 11 + (OUTSIDE if ch == "a" else int(ch))
    return code


@lru_cache(maxsize=256)
def parse_rule(rule: str) -> tuple[str, np.ndarray, np.ndarray]:
    """(neighbourhood, sorted codes, new colours) of a rule's text; Refused if it is malformed."""
    name, _, body = rule.partition(":")
    if name not in NAMES or not body:
        raise Refused(f"local rule must read F:K>c,... with F in {NAMES}, got {rule[:20]!r}")
    size = key_length(name)
    pairs = []
    for entry in body.split(","):
        key, _, colour = entry.partition(">")
        if len(key) != size or any(ch not in "0123456789a" for ch in key) or colour not in set("0123456789"):
            raise Refused(f"bad local rule entry {entry!r}")
        pairs.append((_decode_key(key), int(colour)))
    pairs.sort()
    codes = np.array([p[0] for p in pairs], dtype=np.int64)
    if len(np.unique(codes)) != len(codes):
        raise Refused("local rule lists a neighbourhood twice")
    return name, codes, np.array([p[1] for p in pairs], dtype=np.uint8)


@primitive(cost=2.0)
def apply_local_rule(grid: Grid, rule: LocalRule) -> Grid:
    """Recolour every cell whose neighbourhood the rule lists; the others keep their colour."""
    name, codes, colours = parse_rule(rule)
    cell = neighbourhood_codes(grid, name)
    at = np.clip(np.searchsorted(codes, cell), 0, len(codes) - 1)
    hit = codes[at] == cell
    return fresh(np.where(hit, colours[at], grid))
