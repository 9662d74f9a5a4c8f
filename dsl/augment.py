"""Reversible task augmentations: the 8 symmetries of the square, a fixed table of colour permutations,
and reordering of the train pairs.

Training uses them against colour-class imbalance and to multiply data; inference solves augmented
views of a task and maps each prediction back with `invert` before voting. An augmentation applies a
colour permutation first and a symmetry second; the two commute, so the order only matters for
reading the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from dsl.grid import N_COLORS, Grid
from dsl.primitives.geometry import (
    anti_transpose,
    flip_lr,
    flip_ud,
    rotate_90,
    rotate_180,
    rotate_270,
    transpose,
)
from dsl.program import Call, Const, Expr, Var, substitute_input
from dsl.registry import PRIMITIVES
from dsl.task import Pair, Task

N_PERMUTATIONS = 1000
PERMUTATION_SEED = 20241124


def _identity(grid: Grid) -> Grid:
    return np.ascontiguousarray(grid)


@dataclass(frozen=True)
class Symmetry:
    """One element of D8: its name (a DSL primitive, except `identity`), function and inverse's index."""

    name: str
    fn: Callable[[Grid], Grid]
    inverse: int


# Index order is part of the interface: an Augmentation stores the index.
D8: tuple[Symmetry, ...] = (
    Symmetry("identity", _identity, 0),
    Symmetry("rotate_90", rotate_90, 3),
    Symmetry("rotate_180", rotate_180, 2),
    Symmetry("rotate_270", rotate_270, 1),
    Symmetry("flip_lr", flip_lr, 4),
    Symmetry("flip_ud", flip_ud, 5),
    Symmetry("transpose", transpose, 6),
    Symmetry("anti_transpose", anti_transpose, 7),
)


@lru_cache(maxsize=8)
def _permutation_table(n: int, seed: int, keep_zero: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    table = np.empty((n, N_COLORS), dtype=np.uint8)
    table[0] = np.arange(N_COLORS)  # row 0 is the identity, so "no colour change" has an index too
    first = 1 if keep_zero else 0
    for i in range(1, n):
        table[i, :first] = np.arange(first)
        table[i, first:] = first + rng.permutation(N_COLORS - first)
    table.setflags(write=False)
    return table


def color_permutations(
    n: int = N_PERMUTATIONS, seed: int = PERMUTATION_SEED, keep_zero: bool = True
) -> np.ndarray:
    """A fixed (n, 10) table: row i maps colour c to table[i, c]; row 0 is the identity.

    Regenerated identically from `seed` (numpy's PCG64 stream is stable across versions), so it need
    not ship as data. With `keep_zero` colour 0 (the usual background) stays 0.
    """
    if n < 1:
        raise ValueError(f"need at least one permutation, got n={n}")
    return _permutation_table(n, seed, keep_zero)


def inverse_permutation(perm: np.ndarray) -> np.ndarray:
    """The permutation that undoes `perm`."""
    inv = np.empty_like(perm)
    inv[perm] = np.arange(len(perm), dtype=perm.dtype)
    return inv


@dataclass(frozen=True)
class Augmentation:
    """A symmetry (index into D8), an optional colour permutation (row of the table) and an optional
    new order of the train pairs (a permutation of their indices)."""

    symmetry: int = 0
    colors: int | None = None
    train_order: tuple[int, ...] | None = None
    keep_zero: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.symmetry < len(D8):
            raise ValueError(f"symmetry index {self.symmetry} outside 0-{len(D8) - 1}")
        if self.colors is not None and not 0 <= self.colors < N_PERMUTATIONS:
            raise ValueError(f"colour permutation index {self.colors} outside 0-{N_PERMUTATIONS - 1}")

    @property
    def permutation(self) -> np.ndarray:
        """The colour map as an array (identity when `colors` is None)."""
        if self.colors is None:
            return np.arange(N_COLORS, dtype=np.uint8)
        return color_permutations(keep_zero=self.keep_zero)[self.colors]

    def describe(self) -> str:
        parts = [D8[self.symmetry].name]
        if self.colors is not None:
            parts.append(f"colors#{self.colors}")
        if self.train_order is not None:
            parts.append("order=" + "".join(map(str, self.train_order)))
        return "+".join(parts)


def apply_grid(grid: Grid, aug: Augmentation) -> Grid:
    """One grid seen through the augmentation."""
    recoloured = aug.permutation[grid] if aug.colors is not None else grid
    return D8[aug.symmetry].fn(recoloured)


def invert(grid: Grid, aug: Augmentation) -> Grid:
    """Map a grid of the augmented task (e.g. a prediction) back to the original task's frame."""
    unrotated = D8[D8[aug.symmetry].inverse].fn(grid)
    if aug.colors is None:
        return unrotated
    return np.ascontiguousarray(inverse_permutation(aug.permutation)[unrotated])


def apply(task: Task, aug: Augmentation) -> Task:
    """The task with every grid augmented and the train pairs reordered; test outputs stay hidden if
    they were."""

    def pair(p: Pair) -> Pair:
        return Pair(apply_grid(p.input, aug), None if p.output is None else apply_grid(p.output, aug))

    train = tuple(pair(p) for p in task.train)
    if aug.train_order is not None:
        if sorted(aug.train_order) != list(range(len(train))):
            raise ValueError(f"train order {aug.train_order} is not a permutation of {len(train)} pairs")
        train = tuple(train[i] for i in aug.train_order)
    meta = {**task.meta, "augmentation": aug.describe()}
    return replace(task, train=train, test=tuple(pair(p) for p in task.test), meta=meta)


def all_symmetries(colors: int | None = None) -> list[Augmentation]:
    """The 8 symmetries, optionally combined with one colour permutation: the usual voting views."""
    return [Augmentation(symmetry=i, colors=colors) for i in range(len(D8))]


def random_augmentation(rng: np.random.Generator, n_train: int, keep_zero: bool = True) -> Augmentation:
    """A uniformly drawn symmetry, colour permutation and train order."""
    return Augmentation(
        symmetry=int(rng.integers(len(D8))),
        colors=int(rng.integers(N_PERMUTATIONS)),
        train_order=tuple(int(i) for i in rng.permutation(n_train)),
        keep_zero=keep_zero,
    )


def conjugate_program(program: Expr, aug: Augmentation) -> Expr:
    """A program that solves the augmented task when `program` solves the original one:
    A ∘ program ∘ A⁻¹, with the symmetry as D8 primitives and the colours as `map_colors`.

    Raises ValueError if a colour permutation is needed and no `map_colors(Grid, ColorMap)` is
    registered.
    """
    sym, inverse_sym = D8[aug.symmetry], D8[D8[aug.symmetry].inverse]
    expr: Expr = Var("I")
    if inverse_sym.name != "identity":
        expr = Call(inverse_sym.name, (expr,))
    if aug.colors is not None:
        expr = _map_colors(expr, inverse_permutation(aug.permutation))
    expr = substitute_input(program, expr)
    if aug.colors is not None:
        expr = _map_colors(expr, aug.permutation)
    if sym.name != "identity":
        expr = Call(sym.name, (expr,))
    return expr


def _map_colors(expr: Expr, perm: np.ndarray) -> Expr:
    prim = PRIMITIVES.get("map_colors")
    if prim is None or prim.arg_types != ("Grid", "ColorMap"):
        raise ValueError("conjugating a colour permutation needs the primitive map_colors(Grid, ColorMap)")
    return Call("map_colors", (expr, Const("".join(str(int(c)) for c in perm))))
