"""Scaling by integer factors."""

from __future__ import annotations

import numpy as np

from dsl.grid import MAX_SIDE
from dsl.primitives.common import checked, fresh, require_grid_shape, require_positive
from dsl.registry import Refused, primitive
from dsl.types import Grid, Int


@primitive(cost=1.0)
def upscale(grid: Grid, k: Int) -> Grid:
    """Blow every cell up into a k x k block."""
    require_positive(k)
    if k == 1:
        raise Refused("upscale by 1 does nothing")
    require_grid_shape(grid.shape[0] * k, grid.shape[1] * k)
    return checked(np.repeat(np.repeat(grid, k, axis=0), k, axis=1))


@primitive(cost=1.0)
def downscale(grid: Grid, k: Int) -> Grid:
    """Shrink k x k blocks to one cell; refuses unless the grid is made of uniform k x k blocks."""
    require_positive(k)
    h, w = grid.shape
    if k == 1 or h % k or w % k:
        raise Refused(f"{h}x{w} is not made of {k}x{k} blocks")
    small = grid[::k, ::k]
    if not np.array_equal(np.repeat(np.repeat(small, k, axis=0), k, axis=1), grid):
        raise Refused(f"{k}x{k} blocks are not uniform")
    return fresh(small)


@primitive(cost=1.5)
def downscale_majority(grid: Grid, k: Int) -> Grid:
    """Shrink k x k blocks to their commonest colour (ties: the smaller colour): a downscale that
    tolerates stray cells inside the blocks."""
    require_positive(k)
    h, w = grid.shape
    if k == 1 or h % k or w % k:
        raise Refused(f"{h}x{w} is not made of {k}x{k} blocks")
    blocks = grid.reshape(h // k, k, w // k, k).transpose(0, 2, 1, 3).reshape(-1, k * k)
    codes = np.arange(len(blocks))[:, None] * 10 + blocks
    counts = np.bincount(codes.ravel(), minlength=len(blocks) * 10).reshape(-1, 10)
    return fresh(counts.argmax(axis=1).reshape(h // k, w // k))


@primitive(cost=2.0)
def fractalize(grid: Grid) -> Grid:
    """Put a copy of the grid at every non-zero cell of itself (the Kronecker product with its mask)."""
    h, w = grid.shape
    if h * h > MAX_SIDE or w * w > MAX_SIDE:
        raise Refused(f"result would be {h * h}x{w * w}, over {MAX_SIDE} per side")
    return checked(np.kron((grid != 0).astype(np.uint8), grid))
