"""Grids in the terminal, drawn with rich in the standard ARC 10-colour palette.

On a colour terminal each cell is two spaces on its colour; without colour (a pipe, a file,
`NO_COLOR`) each cell is its digit, so the output stays readable and diffable.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from dsl.grid import Grid

# The palette of the ARC testing interface, colour 0 to 9.
PALETTE: tuple[str, ...] = (
    "#000000",  # 0 black
    "#0074D9",  # 1 blue
    "#FF4136",  # 2 red
    "#2ECC40",  # 3 green
    "#FFDC00",  # 4 yellow
    "#AAAAAA",  # 5 grey
    "#F012BE",  # 6 magenta
    "#FF851B",  # 7 orange
    "#7FDBFF",  # 8 light blue
    "#870C25",  # 9 maroon
)
GAP = 3  # spaces between grids shown side by side
CELL_STYLES: tuple[Style, ...] = tuple(Style(bgcolor=c) for c in PALETTE)


def make_console(file: IO[str] | None = None) -> Console:
    """A console on `file` (stdout by default) that colours only when the stream is a colour terminal."""
    return Console(file=file, highlight=False, soft_wrap=True)


def uses_color(console: Console) -> bool:
    """Whether cells can be drawn as coloured blocks on this console."""
    return console.color_system is not None and not console.no_color


def grid_text(grid: Grid, color: bool = True) -> Text:
    """One grid as rich Text: coloured blocks, or digits separated by spaces when `color` is off."""
    text = Text(no_wrap=True, overflow="ignore")
    for i, row in enumerate(grid):
        if i:
            text.append("\n")
        if color:
            for v in row:
                text.append("  ", CELL_STYLES[int(v)])
        else:
            text.append(" ".join(str(int(v)) for v in row))
    return text


def grids_row(grids: Sequence[Grid | None], titles: Sequence[str], color: bool = True) -> Table:
    """Grids side by side under their titles; a None grid shows as a dash (e.g. no attempt)."""
    if len(grids) != len(titles):
        raise ValueError(f"{len(grids)} grids but {len(titles)} titles")
    table = Table.grid(padding=(0, GAP))
    for _ in grids:
        table.add_column(no_wrap=True)
    table.add_row(*(Text(t, style="bold") for t in titles))
    table.add_row(*(Text("-") if g is None else grid_text(g, color) for g in grids))
    return table


def print_grids(console: Console, grids: Sequence[Grid | None], titles: Sequence[str]) -> None:
    """Print grids side by side, coloured when the console can show colour; grids that do not fit the
    console's width go on to the next row instead of being cropped."""
    color = uses_color(console)
    widths = [max(len(t), _grid_width(g, color)) for g, t in zip(grids, titles, strict=True)]
    for group in _rows_that_fit(widths, console.width):
        if len(group) == 1 and widths[group[0]] > console.width:  # too wide alone: let the terminal wrap
            i = group[0]
            console.print(Text(titles[i], style="bold"))
            console.print(Text("-") if grids[i] is None else grid_text(grids[i], color), soft_wrap=True)
        else:
            console.print(grids_row([grids[i] for i in group], [titles[i] for i in group], color))


def _grid_width(grid: Grid | None, color: bool) -> int:
    if grid is None:
        return 1
    return 2 * grid.shape[1] if color else 2 * grid.shape[1] - 1


def _rows_that_fit(widths: Sequence[int], limit: int) -> list[list[int]]:
    """Indices of consecutive items grouped so each group's widths plus gaps fit in `limit`."""
    groups: list[list[int]] = []
    used = 0
    for i, width in enumerate(widths):
        if groups and used + GAP + width <= limit:
            groups[-1].append(i)
            used += GAP + width
        else:
            groups.append([i])
            used = width
    return groups


def render_plain(grids: Sequence[Grid | None], titles: Sequence[str], width: int = 200) -> str:
    """The digit rendering as a string (for logs and tests)."""
    console = Console(width=width, color_system=None, highlight=False, record=True, file=io.StringIO())
    console.print(grids_row(grids, titles, color=False))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"
