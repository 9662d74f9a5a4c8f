"""Picking one block out of a row or column of square blocks by its mirror symmetries."""

from __future__ import annotations

from dsl.primitives.common import fresh
from dsl.registry import Refused, primitive
from dsl.types import Grid


def _square_blocks(grid: Grid) -> list[Grid]:
    """The grid cut along its long side into squares as wide as its short side (at least two)."""
    h, w = grid.shape
    side = min(h, w)
    n = max(h, w) // side
    if n < 2 or max(h, w) % side:
        raise Refused("not a strip of square blocks")
    if h > w:
        return [grid[i * side : (i + 1) * side] for i in range(n)]
    return [grid[:, i * side : (i + 1) * side] for i in range(n)]


def _symmetries(block: Grid) -> tuple[bool, ...]:
    """Which of the square's five mirror and turn symmetries it has."""
    return (
        bool((block == block[:, ::-1]).all()),
        bool((block == block[::-1]).all()),
        bool((block == block.T).all()),
        bool((block == block[::-1, ::-1].T).all()),
        bool((block == block[::-1, ::-1]).all()),
    )


@primitive(cost=2.0)
def odd_symmetry_block(grid: Grid) -> Grid:
    """The one square block (the grid cut along its long side) that lacks a mirror or turn symmetry
    every other block has."""
    blocks = _square_blocks(grid)
    if len(blocks) < 3:
        raise Refused("fewer than three blocks")
    table = [_symmetries(b) for b in blocks]
    odd = set()
    for kind in range(len(table[0])):
        lacking = [i for i, row in enumerate(table) if not row[kind]]
        if len(lacking) == 1:
            odd.add(lacking[0])
    if len(odd) != 1:
        raise Refused("no single block lacks a symmetry the others share")
    return fresh(blocks[odd.pop()])
