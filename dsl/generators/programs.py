"""A random typed program sampler that reads the signature table, so every primitive registered in
`dsl.registry.PRIMITIVES` is sampled without this module knowing its name.

A program of depth d is a tree of calls whose longest path from the root to the input `I` has d
calls. Arguments of a type with a literal domain (`dsl.types.TYPES`) get a literal from it, or, now
and then, a call that computes a value of that type from the input (e.g. `most_common_color(I)`).
Types with an empty domain are sampled by `LITERAL_SAMPLERS` or, if none exists, their primitives
are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dsl.program import Call, Const, Expr, Var
from dsl.registry import PRIMITIVES, Primitive
from dsl.types import TYPES

# Primitives a sampled task should not use: none today beyond those the search cannot take apart.
EXCLUDED_PRIMITIVES: frozenset[str] = frozenset()


def random_color_map(rng: np.random.Generator) -> str:
    """A ColorMap literal that keeps black and permutes 1-9."""
    return "0" + "".join(str(int(c)) for c in 1 + rng.permutation(9))


LITERAL_SAMPLERS: dict[str, Callable[[np.random.Generator], int | str]] = {"ColorMap": random_color_map}


@dataclass(frozen=True)
class SamplerConfig:
    """How programs are drawn. `call_arg_prob` is the chance that a non-Grid argument is computed by a
    call (e.g. `most_common_color(I)`) instead of a literal."""

    exclude: frozenset[str] = EXCLUDED_PRIMITIVES
    call_arg_prob: float = 0.25


class ProgramSampler:
    """Draws well-typed Grid -> Grid programs of an exact depth from the current signature table."""

    def __init__(self, config: SamplerConfig | None = None) -> None:
        self.config = config or SamplerConfig()
        usable = [
            p
            for name, p in sorted(PRIMITIVES.items())
            if name not in self.config.exclude and self._sampleable(p)
        ]
        self.by_return: dict[str, list[Primitive]] = {}
        for prim in usable:
            self.by_return.setdefault(prim.ret_type, []).append(prim)
        # a Grid-returning primitive can grow a program only if it takes a Grid to recurse into
        self.grid_steps = [p for p in self.by_return.get("Grid", []) if "Grid" in p.arg_types]
        if not self.grid_steps:
            raise ValueError("no Grid -> Grid primitive is registered: nothing to sample")

    @staticmethod
    def _sampleable(prim: Primitive) -> bool:
        return all(t == "Grid" or TYPES[t].domain or t in LITERAL_SAMPLERS for t in prim.arg_types)

    @property
    def primitive_names(self) -> list[str]:
        return sorted(p.name for prims in self.by_return.values() for p in prims)

    def sample(self, rng: np.random.Generator, depth: int) -> Expr:
        """A Grid program whose longest input-to-root chain has exactly `depth` calls."""
        if depth < 1:
            raise ValueError(f"depth must be at least 1, got {depth}")
        return self._grid_expr(rng, depth, exact=True)

    def _grid_expr(self, rng: np.random.Generator, depth: int, exact: bool) -> Expr:
        if depth == 0 or (not exact and rng.random() < 0.5):
            return Var("I")
        prim = self.grid_steps[int(rng.integers(len(self.grid_steps)))]
        grid_slots = [i for i, t in enumerate(prim.arg_types) if t == "Grid"]
        deep_slot = grid_slots[int(rng.integers(len(grid_slots)))] if exact else -1
        args: list[Expr] = []
        for i, arg_type in enumerate(prim.arg_types):
            if arg_type == "Grid":
                args.append(self._grid_expr(rng, depth - 1, exact=i == deep_slot))
            else:
                args.append(self._value_expr(rng, arg_type, depth - 1))
        return Call(prim.name, tuple(args))

    def _value_expr(self, rng: np.random.Generator, type_name: str, depth: int) -> Expr:
        """A literal of `type_name`, or a call computing one from a Grid when depth allows."""
        makers = [p for p in self.by_return.get(type_name, []) if "Grid" in p.arg_types]
        if depth >= 1 and makers and rng.random() < self.config.call_arg_prob:
            prim = makers[int(rng.integers(len(makers)))]
            # value calls read the input itself: that is where a search derives such values from
            args = tuple(Var("I") if t == "Grid" else self._literal(rng, t) for t in prim.arg_types)
            return Call(prim.name, args)
        return self._literal(rng, type_name)

    @staticmethod
    def _literal(rng: np.random.Generator, type_name: str) -> Const:
        domain = TYPES[type_name].domain
        if domain:
            return Const(domain[int(rng.integers(len(domain)))])
        return Const(LITERAL_SAMPLERS[type_name](rng))


def program_depth(expr: Expr) -> int:
    """Longest chain of calls from the root to a leaf."""
    if isinstance(expr, Call):
        return 1 + max((program_depth(a) for a in expr.args), default=0)
    return 0
