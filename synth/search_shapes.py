"""Output-shape prediction from the train pairs: the first stage of the bench funnel.

Rules, tried in order, each kept only if it explains every train pair: the output has the input's
shape; the output shape is constant; each side is the input's side times a fixed ratio; the output
is the input transposed.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from dsl.grid import MAX_SIDE, Grid

Shape = tuple[int, int]


def predict_shapes(
    train_inputs: Sequence[Grid], train_outputs: Sequence[Grid], test_inputs: Sequence[Grid]
) -> list[Shape | None]:
    """The predicted output shape per test input, or None when no rule fits the train pairs."""
    pairs = [(a.shape, b.shape) for a, b in zip(train_inputs, train_outputs, strict=True)]
    for rule in (_same, _constant, _ratio, _transposed):
        predicted = rule(pairs, [g.shape for g in test_inputs])
        if predicted is not None:
            return [s if s and 0 < s[0] <= MAX_SIDE and 0 < s[1] <= MAX_SIDE else None for s in predicted]
    return [None] * len(test_inputs)


def _same(pairs: list[tuple[Shape, Shape]], tests: list[Shape]) -> list[Shape] | None:
    return list(tests) if all(a == b for a, b in pairs) else None


def _constant(pairs: list[tuple[Shape, Shape]], tests: list[Shape]) -> list[Shape] | None:
    outs = {b for _, b in pairs}
    return [outs.pop()] * len(tests) if len(outs) == 1 else None


def _ratio(pairs: list[tuple[Shape, Shape]], tests: list[Shape]) -> list[Shape] | None:
    ratios = {(Fraction(b[0], a[0]), Fraction(b[1], a[1])) for a, b in pairs}
    if len(ratios) != 1:
        return None
    ry, rx = ratios.pop()
    out: list[Shape] = []
    for h, w in tests:
        if (h * ry).denominator != 1 or (w * rx).denominator != 1:
            return None
        out.append((int(h * ry), int(w * rx)))
    return out


def _transposed(pairs: list[tuple[Shape, Shape]], tests: list[Shape]) -> list[Shape] | None:
    return [(w, h) for h, w in tests] if all(a == (b[1], b[0]) for a, b in pairs) else None
