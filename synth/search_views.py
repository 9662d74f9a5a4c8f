"""Views of a task: the same task with its grids re-encoded, searched instead of (or after) the task
itself, each found program wrapped so it stays a faithful program of the original task.

A view encodes every grid of a pair in the frame of that pair's input (`encode(input, grid)`),
decodes a prediction in the frame of its test input, and wraps a program found on the view.
- `background_view`: a shared non-zero background swapped with 0 (primitives treat 0 as background);
- `OWN_BACKGROUND`: each pair's grids with its input's commonest colour swapped with 0, for tasks
  drawn on a different non-zero background in every pair;
- `ranked_view`: colours renamed by frequency in each input (`dsl.primitives.compose`), so pairs
  that use different colours in the same roles look alike: `unrank_colors(P(rank_colors(I)), I)`;
- `canvas_view`: every input set on a blank canvas of its output's size where the outputs hold it
  (`embed`, placed by `synth.inference_canvas`), so a program continuing the input's pattern over the
  canvas needs no step for the canvas: `P(embed(I, placement))`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dsl.grid import Grid
from dsl.primitives.color import most_common_color
from dsl.primitives.compose import rank_permutation
from dsl.primitives.embedding import embed
from dsl.program import INPUT, Call, Const, Expr, substitute_input
from synth.search_background import shared_background, swap_background, unswapped_program

# primitives a view wraps whole programs in: the search never enumerates them itself
VIEW_PRIMITIVES = frozenset({"rank_colors", "unrank_colors"})


@dataclass(frozen=True)
class View:
    name: str
    encode: Callable[[Grid, Grid], Grid]  # (the pair's input, a grid of the pair) -> the grid in the view
    decode: Callable[[Grid, Grid], Grid]  # (the test input, a prediction in the view) -> the prediction
    wrap: Callable[[Expr], Expr]  # a program of the view -> the same program on the original task
    # the inputs' own encoding, when it is not `encode(input, input)` (a canvas frames only the inputs)
    encode_input: Callable[[Grid], Grid] | None = None

    def input(self, grid: Grid) -> Grid:
        """An input (train or test) as the view sees it."""
        return self.encode(grid, grid) if self.encode_input is None else self.encode_input(grid)


IDENTITY = View("identity", lambda _, g: g, lambda _, g: g, lambda e: e)


def background_view(inputs: Sequence[Grid]) -> View:
    """The background swap if every input shares one non-zero background colour, else the identity."""
    colour = shared_background(inputs)
    if colour is None:
        return IDENTITY
    return View(
        "background",
        lambda _, g: swap_background(g, colour),
        lambda _, g: swap_background(g, colour),
        lambda e: unswapped_program(e, colour),
    )


def _swap_own_background(source: Grid, grid: Grid) -> Grid:
    """The swap the wrapped program makes: with the input's `most_common_color`."""
    return swap_background(grid, most_common_color(source))


OWN_BACKGROUND = View(
    "own background", _swap_own_background, _swap_own_background, lambda e: unswapped_program(e, None)
)


def _ranked_encode(source: Grid, grid: Grid) -> Grid:
    return np.ascontiguousarray(rank_permutation(source)[grid])


def _ranked_decode(source: Grid, grid: Grid) -> Grid:
    return np.ascontiguousarray(np.argsort(rank_permutation(source)).astype(np.uint8)[grid])


def _ranked_wrap(expr: Expr) -> Expr:
    return Call("unrank_colors", (substitute_input(expr, Call("rank_colors", (INPUT,))), INPUT))


RANKED = View("ranked", _ranked_encode, _ranked_decode, _ranked_wrap)


def canvas_view(base: View, placement: str) -> View:
    """`base` with every input then set on a canvas by `embed(_, placement)`; outputs as `base` has them."""
    embedded = Call("embed", (INPUT, Const(placement)))
    return View(
        f"canvas {placement}",
        base.encode,
        base.decode,
        lambda e: base.wrap(substitute_input(e, embedded)),
        lambda g: embed(base.input(g), placement),
    )


def changes_task(view: View, inputs: Sequence[Grid], outputs: Sequence[Grid]) -> bool:
    """False when the view leaves every grid as it is (searching it again would repeat the search)."""
    pairs = list(zip(inputs, outputs, strict=False))
    return any(not np.array_equal(view.input(a), a) for a in inputs) or any(
        not np.array_equal(view.encode(a, g), g) for a, g in pairs
    )
