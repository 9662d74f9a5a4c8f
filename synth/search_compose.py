"""Composition of partial solutions: when no single program maps every train input to its output,
layer several states that are each right on part of the outputs (icecuber's greedy composition).

A layer is a searched state whose train grids have the train outputs' shapes. A composition is a
base layer with moves over it, each one DSL call, so it stays one faithful program: a paint move
`overlay(rest, layer)` sets the layer's non-zero cells, an erase move `mask_with(rest, layer)` sets
0 where the layer is 0. It is found greedily, top down: the top move must set every cell it covers
right, on every train pair; those cells are then settled, and the next move down is chosen the
same way on the cells still open, until one layer is right on every open cell: the base. Each step
takes the move settling the most open cells (cheapest on ties).
"""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dsl.grid import Grid
from dsl.program import Call, Expr

OVERLAY = "overlay"  # overlay(a, b): b's non-zero cells painted over a
ERASE = "mask_with"  # mask_with(a, b): a where b is non-zero, else 0


@dataclass(frozen=True)
class Composition:
    """A train-consistent program built from layers, with its grids on the test inputs."""

    expr: Expr
    cost: float
    test_outputs: tuple[Grid, ...]


@dataclass
class _Layer:
    expr: Expr
    cost: float
    grids: tuple[Grid, ...]  # train grids, then test grids
    tiebreak: tuple[int, int]  # (-train cells right, checksum of the grids), after the cost

    @property
    def rank(self) -> tuple[float, int, int]:
        """Lower is kept."""
        return (self.cost, *self.tiebreak)


class LayerPool:
    """The `max_layers` best states whose train grids have the train outputs' shapes: the cheapest,
    then those right on the most train output cells, then by a checksum of their grids.

    The pool holds the same layers whatever order the states are offered in, so a searcher that
    only reorders a level (a prior) composes exactly what the plain search composes. Layers keep
    their grids (the search frees an expanded state's grids), which is what the bound is for.
    """

    def __init__(self, outputs: Sequence[Grid], max_layers: int) -> None:
        self.outputs = tuple(outputs)
        self.n_train = len(self.outputs)
        self.shapes = tuple(g.shape for g in self.outputs)
        self.max_layers = max_layers
        self.layers: dict[int, _Layer] = {}
        # the held layers' ranks negated (a max-heap), with stale entries of replaced or evicted ones
        self._heap: list[tuple[float, int, int, int]] = []

    def offer(self, key: int, grids: tuple[Grid, ...], expr: Expr, cost: float) -> None:
        """Keep the state as a layer if its train grids have the output shapes and it ranks among the
        best `max_layers`; a held state takes a cheaper program."""
        held = self.layers.get(key)
        if held is not None:
            if cost < held.cost:
                held.expr, held.cost = expr, cost
                self._push(key, held.rank)
            return
        if self.max_layers <= 0 or len(grids) < self.n_train:
            return
        if any(g.shape != s for g, s in zip(grids, self.shapes, strict=False)):
            return
        worst = self._worst() if len(self.layers) >= self.max_layers else None
        if worst is not None and cost > worst[0][0]:
            return  # dearer than every held layer: no need to rank it
        layer = _Layer(
            expr, cost, grids, (-self._cells_right(grids), zlib.crc32(b"".join(g.tobytes() for g in grids)))
        )
        if worst is not None:
            if layer.rank >= worst[0]:
                return
            heapq.heappop(self._heap)
            del self.layers[worst[1]]
        self.layers[key] = layer
        self._push(key, layer.rank)

    def _cells_right(self, grids: tuple[Grid, ...]) -> int:
        return sum(int(np.count_nonzero(g == o)) for g, o in zip(grids, self.outputs, strict=False))

    def _push(self, key: int, rank: tuple[float, int, int]) -> None:
        heapq.heappush(self._heap, (-rank[0], -rank[1], -rank[2], key))

    def _worst(self) -> tuple[tuple[float, int, int], int]:
        """The worst held layer's rank and key (at the heap's top once stale entries are dropped)."""
        while True:
            neg_cost, neg_right, neg_sum, key = self._heap[0]
            rank = (-neg_cost, -neg_right, -neg_sum)
            layer = self.layers.get(key)
            if layer is not None and layer.rank == rank:
                return rank, key
            heapq.heappop(self._heap)

    def __len__(self) -> int:
        return len(self.layers)

    def compose(self, max_layers: int, costs: Mapping[str, float], limit: int = 2) -> list[Composition]:
        """Up to `limit` distinct compositions of at most `max_layers` moves over a base layer;
        `costs` prices the combining primitives (`overlay`, and `mask_with` if erasing is allowed)."""
        groups: dict[tuple[tuple[int, int], ...], list[_Layer]] = {}
        for layer in sorted(self.layers.values(), key=lambda la: la.cost):
            groups.setdefault(tuple(g.shape for g in layer.grids[self.n_train :]), []).append(layer)
        found: list[Composition] = []
        seen: set[bytes] = set()
        for layers in sorted(groups.values(), key=len, reverse=True):
            table = _Table(layers, self.outputs, erase=ERASE in costs)
            for banned in _first_choices(table, limit):
                picked = table.greedy(max_layers, banned)
                if picked is None:
                    continue
                comp = _build(layers, *picked, self.n_train, costs)
                key = b"".join(g.tobytes() for g in comp.test_outputs)
                if key not in seen:
                    seen.add(key)
                    found.append(comp)
                if len(found) >= limit:
                    return found
        return found


class _Table:
    """Every layer's train cells flattened into one row, twice: as a paint move (the layer's non-zero
    cells) and as an erase move (its zero cells). A move is bad where it sets a cell wrong."""

    def __init__(self, layers: Sequence[_Layer], outputs: Sequence[Grid], erase: bool) -> None:
        n_train = len(outputs)
        target = np.concatenate([g.ravel() for g in outputs])
        cells = np.stack([np.concatenate([g.ravel() for g in la.grids[:n_train]]) for la in layers])
        self.n = len(layers)
        self.right = cells == target
        nonzero = cells != 0
        zero = ~nonzero if erase else np.zeros_like(nonzero)  # an empty move is never chosen
        self.active = np.concatenate([nonzero, zero])  # rows: paint moves, then erase moves
        self.bad = self.active & ~np.concatenate([self.right, self.right])
        self.costs = np.array([la.cost for la in layers])
        self.move_costs = np.concatenate([self.costs, self.costs])

    def gains(self, open_cells: np.ndarray) -> np.ndarray:
        """Open cells each move would settle as the top layer; -1 where it sets an open cell wrong."""
        gains = (self.active & open_cells).sum(axis=1)
        gains[(self.bad & open_cells).any(axis=1)] = -1
        return gains

    def best_move(self, open_cells: np.ndarray, banned: int | None = None) -> tuple[int, int]:
        """The move settling the most open cells (cheapest on ties), and how many it settles."""
        gains = self.gains(open_cells)
        if banned is not None:
            gains[banned] = -1
        best = int(np.lexsort((self.move_costs, -gains))[0])
        return best, int(gains[best])

    def greedy(self, max_layers: int, banned_first: int | None) -> tuple[int, list[int]] | None:
        """The base layer and the moves over it, bottom to top; None if no cover is found."""
        open_cells = np.ones(self.right.shape[1], dtype=bool)
        moves: list[int] = []
        for depth in range(max_layers + 1):
            bases = np.flatnonzero(~(~self.right & open_cells).any(axis=1))
            if depth > 0 and bases.size:
                return int(bases[np.argmin(self.costs[bases])]), moves[::-1]
            if depth == max_layers:
                return None
            move, gain = self.best_move(open_cells, banned_first if depth == 0 else None)
            if gain <= 0:
                return None
            moves.append(move)
            open_cells &= ~self.active[move]
        return None


def _first_choices(table: _Table, limit: int) -> list[int | None]:
    """The greedy run as is, then with its first move banned, for a different second attempt."""
    move, gain = table.best_move(np.ones(table.right.shape[1], dtype=bool))
    return [None] + ([move] if gain > 0 else [])[: limit - 1]


def _build(
    layers: Sequence[_Layer], base: int, moves: list[int], n_train: int, costs: Mapping[str, float]
) -> Composition:
    """The program text and test grids: paint moves are `overlay(rest, layer)`, erase moves
    `mask_with(rest, layer)` (zero where the layer is zero)."""
    expr, cost = layers[base].expr, layers[base].cost
    outputs = list(layers[base].grids[n_train:])
    for move in moves:
        erase, top = move >= len(layers), layers[move % len(layers)]
        name = ERASE if erase else OVERLAY
        expr = Call(name, (expr, top.expr))
        cost += top.cost + costs[name]
        outputs = [
            np.where(t == 0, 0, o) if erase else np.where(t != 0, t, o)
            for t, o in zip(top.grids[n_train:], outputs, strict=True)
        ]
    return Composition(expr, cost, tuple(np.ascontiguousarray(o, dtype=np.uint8) for o in outputs))
