"""Terminal rendering: ARC colours on a colour console, digits everywhere else."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from rich.console import Console

from synth.terminal import PALETTE, grid_text, grids_row, make_console, print_grids, render_plain, uses_color

GRID = np.array([[0, 1, 2], [9, 5, 0]], dtype=np.uint8)


def _rgb(hex_colour: str) -> str:
    return ";".join(str(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))


def test_palette_is_arc_ten_colours() -> None:
    assert len(PALETTE) == 10 and len(set(PALETTE)) == 10
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in PALETTE)
    assert PALETTE[0] == "#000000"  # black background, as in ARC


def test_grid_text_colours_every_cell() -> None:
    text = grid_text(GRID, color=True)
    assert text.plain == "      \n      "  # two spaces per cell, one line per row
    colours = [span.style.bgcolor.triplet.hex.upper() for span in text.spans]  # type: ignore[union-attr]
    assert colours == [PALETTE[v] for v in GRID.flatten()]


def test_grid_text_without_colour_is_digits() -> None:
    assert grid_text(GRID, color=False).plain == "0 1 2\n9 5 0"


def test_colour_console_emits_the_palette() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=120)
    assert uses_color(console)
    print_grids(console, [GRID], ["input"])
    text = out.getvalue()
    for v in (1, 2, 9, 5):
        assert f"48;2;{_rgb(PALETTE[v])}m" in text  # 24-bit background of each colour present
    assert f"48;2;{_rgb(PALETTE[3])}m" not in text


def test_pipe_and_no_color_print_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    console = make_console(out)  # not a terminal
    assert not uses_color(console)
    print_grids(console, [GRID], ["g"])
    assert "0 1 2" in out.getvalue() and "\x1b[" not in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not uses_color(Console(force_terminal=True, color_system="truecolor"))


def test_grids_side_by_side() -> None:
    text = render_plain([GRID, None, GRID.T], ["input", "attempt 1", "t"])
    lines = text.splitlines()
    assert lines[0].split() == ["input", "attempt", "1", "t"]
    assert lines[1].startswith("0 1 2") and lines[1].endswith("0 9")
    assert "-" in lines[1]  # the missing grid
    assert lines[3].strip() == "2 0"  # the third row of the transposed grid, alone in its column


def test_titles_must_match_grids() -> None:
    with pytest.raises(ValueError, match="2 grids but 1 titles"):
        grids_row([GRID, GRID], ["only one"])


@pytest.mark.parametrize(
    ("width", "first_row"),
    [(40, ["a"]), (80, ["a"]), (125, ["a", "b"]), (132, ["a", "b", "c"])],  # 60 + 3 + 60 + 3 + 6 = 132
)
def test_wide_grids_wrap_to_new_rows_instead_of_being_cropped(width: int, first_row: list[str]) -> None:
    wide = np.random.default_rng(0).integers(1, 10, size=(4, 30)).astype(np.uint8)  # no black cells
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=width)
    print_grids(console, [wide, wide, GRID], ["a", "b", "c"])
    text = out.getvalue()
    shown = len(re.findall(r"\x1b\[48;2;[0-9;]+m {2}", text))
    assert shown == 2 * wide.size + GRID.size  # every cell drawn
    lines = re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()
    assert lines[0].split() == first_row
