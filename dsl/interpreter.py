"""Runs a program on a grid."""

from __future__ import annotations

from typing import Any

from dsl.grid import Grid, is_valid_grid
from dsl.object_boxes import per_object
from dsl.program import PER_OBJECT, Call, Const, Expr, ProgramError, Var, per_object_args
from dsl.registry import PRIMITIVES


class ExecutionError(RuntimeError):
    """A program failed on an input: a primitive refused or raised, or the result is not a grid."""


def evaluate(expr: Expr, grid: Grid) -> Any:
    """Evaluate an expression with its variable (`I`, or `X` in a per_object body) bound to `grid`;
    primitive failures raise ExecutionError."""
    if isinstance(expr, Var):
        return grid
    if isinstance(expr, Const):
        return expr.value
    if expr.name == PER_OBJECT:
        return _per_object(expr, grid)
    prim = PRIMITIVES.get(expr.name)
    if prim is None:
        raise ProgramError(f"unknown primitive {expr.name!r}")
    args = [evaluate(a, grid) for a in expr.args]
    try:
        return prim.fn(*args)
    except ExecutionError:
        raise
    except Exception as e:  # a refusal or a bug in one primitive fails this program, not the caller
        raise ExecutionError(f"{expr.name}: {e.__class__.__name__}: {e}") from e


def _per_object(expr: Call, grid: Grid) -> Grid:
    """The special form: the body is not an argument value but evaluated on each box, `X` bound to it."""
    source, body, conn, margin = per_object_args(expr)
    whole = evaluate(source, grid)
    try:
        return per_object(whole, lambda box: evaluate(body, box), conn, margin)
    except ExecutionError:
        raise
    except Exception as e:  # boxes overlap, the body changed a box's shape, the source is no grid
        raise ExecutionError(f"{PER_OBJECT}: {e.__class__.__name__}: {e}") from e


def execute(program: Expr, grid: Grid) -> Grid:
    """Run a Grid -> Grid program and check that the result is a valid grid."""
    out = evaluate(program, grid)
    if not is_valid_grid(out):
        raise ExecutionError(f"program returned {type(out).__name__}, not a valid grid")
    return out


def run_on_pairs(program: Expr | Call, inputs: list[Grid]) -> list[Grid | None]:
    """Run on several inputs; a failure gives None for that input instead of stopping."""
    results: list[Grid | None] = []
    for g in inputs:
        try:
            results.append(execute(program, g))
        except ExecutionError:
            results.append(None)
    return results
