"""Pictures of grids and tasks as SVG (for reports and `synth show --out x.svg`) and PNG (written with
zlib and struct, so nothing is fetched and no imaging package is needed).

One palette, ARC's ten colours (`synth.terminal.PALETTE`), serves the terminal and both formats.
"""

from __future__ import annotations

import struct
import zlib
from html import escape
from pathlib import Path

import numpy as np

from dsl.grid import Grid
from dsl.task import Task
from synth.errors import UserError
from synth.terminal import PALETTE  # the one ARC palette, shared with the terminal renderer

PALETTE_RGB = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in PALETTE], dtype=np.uint8)
GRID_LINE = "#555555"
BACKGROUND_RGB = (255, 255, 255)


def grid_svg(grid: Grid, cell: int = 12, title: str = "") -> str:
    """An inline <svg> of one grid; runs of one colour in a row are one rect, so big grids stay small."""
    h, w = grid.shape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grid" width="{w * cell}" height="{h * cell}" '
        f'viewBox="0 0 {w} {h}" shape-rendering="crispEdges">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    parts.append(f'<rect width="{w}" height="{h}" fill="{PALETTE[0]}"/>')
    for y in range(h):
        row = grid[y]
        x = 0
        while x < w:
            end = x + 1
            while end < w and row[end] == row[x]:
                end += 1
            if row[x] != 0:
                parts.append(f'<rect x="{x}" y="{y}" width="{end - x}" height="1" fill="{PALETTE[row[x]]}"/>')
            x = end
    if cell >= 6:  # cell borders only where they stay visible
        lines = [f"M{x} 0V{h}" for x in range(1, w)] + [f"M0 {y}H{w}" for y in range(1, h)]
        if lines:
            parts.append(f'<path d="{"".join(lines)}" stroke="{GRID_LINE}" stroke-width="0.06" fill="none"/>')
    parts.append("</svg>")
    return "".join(parts)


def cell_size_for(grids: list[Grid], max_pixels: int = 240) -> int:
    """A cell size that keeps the largest grid within `max_pixels` on its longest side."""
    side = max((max(g.shape) for g in grids), default=1)
    return max(4, min(24, max_pixels // side))


def task_svg(task: Task, attempts: list[list[Grid]] | None = None) -> str:
    """One standalone SVG document of a task: a row per pair (input → output), then the attempts."""
    rows: list[tuple[str, list[Grid | None]]] = []
    for i, p in enumerate(task.train):
        rows.append((f"train {i + 1}", [p.input, p.output]))
    for i, p in enumerate(task.test):
        extra = list(attempts[i]) if attempts and i < len(attempts) else []
        rows.append((f"test {i + 1}", [p.input, p.output, *extra]))
    grids = [g for _, gs in rows for g in gs if g is not None]
    cell = cell_size_for(grids, max_pixels=200)
    gap, label_w, row_gap = 16, 64, 12
    y = row_gap
    body: list[str] = []
    width = 0
    for label, gs in rows:
        height = max(g.shape[0] for g in gs if g is not None) * cell
        body.append(
            f'<text x="4" y="{y + 14}" font-family="sans-serif" font-size="12">{escape(label)}</text>'
        )
        x = label_w
        for g in gs:
            if g is None:
                body.append(f'<text x="{x}" y="{y + 14}" font-family="sans-serif" font-size="12">?</text>')
                x += 24 + gap
                continue
            inner = grid_svg(g, cell)
            body.append(f'<g transform="translate({x},{y})">{inner}</g>')
            x += g.shape[1] * cell + gap
        width = max(width, x)
        y += height + row_gap
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}">'
        f'<rect width="{width}" height="{y}" fill="#ffffff"/>{"".join(body)}</svg>'
    )


def grid_pixels(grid: Grid, cell: int) -> np.ndarray:
    """An RGB image (h*cell, w*cell, 3) of a grid with a 1-pixel grey line between cells."""
    img = PALETTE_RGB[grid].repeat(cell, axis=0).repeat(cell, axis=1)
    if cell >= 6:
        img[::cell, :] = 85
        img[:, ::cell] = 85
    return img


def task_pixels(task: Task, attempts: list[list[Grid]] | None = None) -> np.ndarray:
    """The same layout as `task_svg`, without labels: one band per pair, grids left to right."""
    bands: list[list[Grid]] = [[p.input, p.output] for p in task.train]  # type: ignore[list-item]
    for i, p in enumerate(task.test):
        extra = list(attempts[i]) if attempts and i < len(attempts) else []
        bands.append([g for g in (p.input, p.output, *extra) if g is not None])
    cell = cell_size_for([g for band in bands for g in band], max_pixels=200)
    gap = 12
    images = [[grid_pixels(g, cell) for g in band] for band in bands]
    width = gap + max(sum(im.shape[1] + gap for im in band) for band in images)
    height = gap + sum(max(im.shape[0] for im in band) + gap for band in images)
    canvas = np.empty((height, width, 3), dtype=np.uint8)
    canvas[:] = BACKGROUND_RGB
    y = gap
    for band in images:
        x = gap
        for im in band:
            canvas[y : y + im.shape[0], x : x + im.shape[1]] = im
            x += im.shape[1] + gap
        y += max(im.shape[0] for im in band) + gap
    return canvas


def png_bytes(rgb: np.ndarray) -> bytes:
    """Encode an (h, w, 3) uint8 image as PNG: 8-bit truecolour, filter 0 on every row."""
    h, w, _ = rgb.shape
    raw = np.concatenate([np.zeros((h, 1), dtype=np.uint8), rgb.reshape(h, w * 3)], axis=1).tobytes()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def save_task_picture(task: Task, path: str | Path, attempts: list[list[Grid]] | None = None) -> Path:
    """Write a task picture; the extension (.svg or .png) picks the format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        data = task_svg(task, attempts).encode()
    elif suffix == ".png":
        data = png_bytes(task_pixels(task, attempts))
    else:
        raise UserError(f"{path}: unknown picture format {suffix or '(none)'!r}, use .svg or .png")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as e:
        raise UserError(f"{path}: cannot write ({e.strerror})") from None
    return path
