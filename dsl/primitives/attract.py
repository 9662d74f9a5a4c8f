"""Stray cells drawn to the straight lines of their own colour: each slides along its row or column
until it touches the nearest such line across its path."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, in_runs_of_three, nearest_above
from dsl.registry import Refused, primitive
from dsl.types import Grid


@primitive(cost=2.0)
def pull_to_own_lines(grid: Grid) -> Grid:
    """Slide every stray cell along its row or column until it touches the nearest line (a straight run
    of 3+ cells) of its own colour lying across its path; strays with no such line vanish."""
    hline, vline = in_runs_of_three(grid), in_runs_of_three(grid.T).T
    stray = (grid != 0) & ~hline & ~vline
    if not stray.any() or not (hline.any() or vline.any()):
        raise Refused("no stray cells or no lines")
    h, w = grid.shape
    big = h + w
    out = fresh(np.where(stray, 0, grid))
    si, sj = np.nonzero(stray)
    colours = grid[si, sj]
    best = np.full(si.size, big)
    dest_i, dest_j = si.copy(), sj.copy()
    for c in np.unique(colours):
        pick = colours == c
        pi, pj = si[pick], sj[pick]
        across_cols = hline & (grid == c)  # horizontal lines stop a cell moving along its column
        across_rows = vline & (grid == c)
        # the four directions, each as (nearest index, distance, destination row, destination column)
        up = nearest_above(across_cols)[pi, pj]
        down = h - 1 - nearest_above(across_cols[::-1])[::-1][pi, pj]
        left = nearest_above(across_rows.T).T[pi, pj]
        right = w - 1 - nearest_above(across_rows[:, ::-1].T).T[:, ::-1][pi, pj]
        options = (
            (np.where(up >= 0, pi - up, big), up + 1, pj),
            (np.where(down < h, down - pi, big), down - 1, pj),
            (np.where(left >= 0, pj - left, big), pi, left + 1),
            (np.where(right < w, right - pj, big), pi, right - 1),
        )
        b, di, dj = best[pick], dest_i[pick], dest_j[pick]
        for dist, ti, tj in options:
            closer = dist < b
            b = np.where(closer, dist, b)
            di, dj = np.where(closer, ti, di), np.where(closer, tj, dj)
        best[pick], dest_i[pick], dest_j[pick] = b, di, dj
    moved = best < big
    out[dest_i[moved], dest_j[moved]] = colours[moved]
    return out
