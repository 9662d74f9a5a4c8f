"""Hand-computed features of one train pair (input vs. output) for the prior head.

What a program does shows in how each output differs from its input: the shape change (crop, scale,
tile, transpose), the colours gained or lost, which cells changed and how, whether the output is a
symmetry of the input or a window of it. A small encoder trained for half an hour on one CPU core does
not discover these reliably from cell tokens alone, and each costs microseconds in numpy, so the prior
head reads them beside its pooled token features.
"""

from __future__ import annotations

import numpy as np

from dsl.grid import MAX_SIDE, N_COLORS, Grid
from dsl.task import Pair

SYMMETRIES = (
    lambda g: g,
    lambda g: np.rot90(g, -1),
    lambda g: np.rot90(g, 2),
    lambda g: np.rot90(g, 1),
    np.fliplr,
    np.flipud,
    lambda g: g.T,
    lambda g: np.rot90(g, 2).T,
)
N_PAIR_FEATURES = 14 + 5 * N_COLORS + 6 + len(SYMMETRIES) + 2


def _ratio_log(a: int, b: int) -> float:
    return float(np.clip(np.log2(a / b), -3, 3)) / 3


def _histogram(grid: Grid) -> np.ndarray:
    return np.bincount(grid.ravel(), minlength=N_COLORS)[:N_COLORS] / grid.size


def _contains(big: Grid, small: Grid) -> bool:
    """`small` appears as a window of `big`."""
    (H, W), (h, w) = big.shape, small.shape
    if h > H or w > W:
        return False
    windows = np.lib.stride_tricks.sliding_window_view(big, (h, w))
    return bool((windows == small).all(axis=(2, 3)).any())


def _shape_features(i: Grid, o: Grid) -> list[float]:
    (hi, wi), (ho, wo) = i.shape, o.shape
    return [
        hi / MAX_SIDE,
        wi / MAX_SIDE,
        ho / MAX_SIDE,
        wo / MAX_SIDE,
        _ratio_log(ho, hi),
        _ratio_log(wo, wi),
        float((hi, wi) == (ho, wo)),
        float((hi, wi) == (wo, ho)),
        float(ho < hi or wo < wi),
        float(ho > hi or wo > wi),
        float(ho % hi == 0 and wo % wi == 0),
        float(hi % ho == 0 and wi % wo == 0),
        float(ho * wo == 1),
        float(ho == 1 or wo == 1),
    ]


def _colour_features(i: Grid, o: Grid) -> list[float]:
    hi, ho = _histogram(i), _histogram(o)
    present_i, present_o = (hi > 0).astype(float), (ho > 0).astype(float)
    return [*hi, *ho, *(ho - hi), *present_i, *(present_o - present_i)]


def _cell_features(i: Grid, o: Grid) -> list[float]:
    """How same-shape cells changed: kept, background filled, cleared, recoloured; cell counts."""
    counts = [np.count_nonzero(i) / i.size, np.count_nonzero(o) / o.size]
    if i.shape != o.shape:
        return [0.0, 0.0, 0.0, 0.0, *counts]
    kept = np.mean(i == o)
    filled = np.mean((i == 0) & (o != 0))
    cleared = np.mean((i != 0) & (o == 0))
    recoloured = np.mean((i != 0) & (o != 0) & (i != o))
    return [float(kept), float(filled), float(cleared), float(recoloured), *counts]


def _symmetry_features(i: Grid, o: Grid) -> list[float]:
    """Per symmetry of the square, the fraction of output cells equal to the transformed input."""
    out = []
    for fn in SYMMETRIES:
        t = fn(i)
        out.append(float(np.mean(t == o)) if t.shape == o.shape else 0.0)
    return out


def pair_features(pair: Pair) -> np.ndarray:
    """(N_PAIR_FEATURES,) float32 features of a train pair with a known output."""
    i, o = pair.input, pair.output
    assert o is not None, "pair features need the output"
    values = [
        *_shape_features(i, o),
        *_colour_features(i, o),
        *_cell_features(i, o),
        *_symmetry_features(i, o),
        float(_contains(i, o)),
        float(_contains(o, i)),
    ]
    return np.asarray(values, dtype=np.float32)
