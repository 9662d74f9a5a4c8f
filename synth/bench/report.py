"""`report.html`: one self-contained page (inline SVG, inline CSS and script, nothing fetched) with,
per task, the train pairs, test inputs, expected outputs and each solver's attempts marked right or
wrong, plus the program text; filters by solver, solved/unsolved and category.

The script writes `data-status="ready"` (or the first error) on <body>, so a headless browser's
--dump-dom shows whether the page ran cleanly.
"""

from __future__ import annotations

from html import escape
from typing import Any

from dsl.grid import Grid, make_grid
from dsl.task import Task
from synth.bench.results import Row, RowKey
from synth.bench.summary import comparison_table, task_label
from synth.render import cell_size_for, grid_svg
from synth.sources import BadTask

CSS = """
body{font-family:system-ui,sans-serif;margin:1em;background:#fafafa;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}
.filters{position:sticky;top:0;background:#fafafa;padding:.5em 0;border-bottom:1px solid #ccc;z-index:1}
.task{background:#fff;border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.5em 1em}
.task h2{font-size:1.05em;margin:.2em 0}.row{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
.pairs{display:flex;flex-wrap:wrap;gap:10px 28px;align-items:flex-start}.pair{display:flex;gap:8px}
.badge{font-size:.75em;font-weight:normal;padding:1px 6px;border-radius:8px;margin-left:.5em}
.solved{background:#d4f5d9;color:#1a6a2a}.unsolved{background:#f6dcdc;color:#8a1f1f}
figure{margin:0 0 6px 0}figcaption{font-size:.75em;color:#555}.arrow{align-self:center;color:#888}
.solver{border-top:1px dashed #ccc;margin-top:.5em;padding-top:.3em}.solver .row{padding:5px 4px}
.right svg{outline:3px solid #2ECC40}.wrong svg{outline:3px solid #FF4136}
.mark{font-weight:bold}.right .mark{color:#1a8a2a}.wrong .mark{color:#c0392b}
pre{background:#f3f3f3;padding:4px 8px;white-space:pre-wrap;font-size:.8em;margin:.3em 0}
.error{color:#c0392b;font-size:.85em}.meta{font-size:.85em;color:#444}
.hidden{display:none}
"""

SCRIPT = """
window.addEventListener('error', function (e) { document.body.dataset.status = 'error: ' + e.message; });
(function () {
  var solver = document.getElementById('f-solver'), state = document.getElementById('f-state'),
      category = document.getElementById('f-category'), shown = document.getElementById('shown');
  function apply() {
    var s = solver.value, st = state.value, c = category.value, n = 0;
    document.querySelectorAll('section.task').forEach(function (sec) {
      var solvedBy = sec.dataset.solved ? sec.dataset.solved.split(' ') : [];
      var solved = s ? solvedBy.indexOf(s) >= 0 : solvedBy.length > 0;
      var ok = (!c || sec.dataset.category === c) && (st === 'all' || (st === 'solved') === solved);
      sec.classList.toggle('hidden', !ok);
      sec.querySelectorAll('.solver').forEach(function (b) {
        b.classList.toggle('hidden', !!s && b.dataset.solver !== s);
      });
      if (ok) n++;
    });
    shown.textContent = n;
  }
  // filters live in the URL hash (#solver=search&state=unsolved&category=x), so a view can be shared
  var params = new URLSearchParams(location.hash.slice(1));
  if (params.has('solver')) solver.value = params.get('solver');
  if (params.has('state')) state.value = params.get('state');
  if (params.has('category')) category.value = params.get('category');
  [solver, state, category].forEach(function (el) {
    el.addEventListener('change', function () {
      history.replaceState(null, '', '#' + new URLSearchParams(
        {solver: solver.value, state: state.value, category: category.value}).toString());
      apply();
    });
  });
  apply();
  if (!document.body.dataset.status.startsWith('error')) document.body.dataset.status = 'ready';
})();
"""


def _figure(grid: Grid | None, caption: str, cell: int, mark: str = "") -> str:
    cls = f' class="{mark}"' if mark else ""
    symbol = {"right": "✓ ", "wrong": "✗ "}.get(mark, "")
    body = grid_svg(grid, cell, title=caption) if grid is not None else "<em>none</em>"
    caption_html = f'<figcaption><span class="mark">{symbol}</span>{escape(caption)}</figcaption>'
    return f"<figure{cls}>{body}{caption_html}</figure>"


def _solver_block(task: Task, row: Row | None, solver: str, cell: int) -> str:
    if row is None:
        return f'<div class="solver" data-solver="{escape(solver)}"><b>{escape(solver)}</b>: not run</div>'
    score = "–" if row["score"] is None else f"{row['score']:.2f}"
    parts = [
        f'<div class="solver" data-solver="{escape(solver)}"><div class="meta"><b>{escape(solver)}</b> '
        f"· {escape(row['status'])} · {escape(row['verdict'])} · score {score} · {row['seconds']:.2f} s</div>"
    ]
    if row.get("error"):
        parts.append(f'<div class="error">{escape(str(row["error"]))}</div>')
    for i, per_test in enumerate(row["attempts"]):
        expected = task.test[i].output if i < len(task.test) else None
        figures = []
        for j, grid_list in enumerate(per_test):
            grid = make_grid(grid_list)
            mark = "" if expected is None else ("right" if _same(grid, expected) else "wrong")
            figures.append(_figure(grid, f"test {i + 1} attempt {j + 1}", cell, mark))
        parts.append(f'<div class="row">{"".join(figures) or "<em>no attempt</em>"}</div>')
    for program in row.get("programs") or ([row["program"]] if row.get("program") else []):
        parts.append(f"<pre>{escape(program)}</pre>")
    parts.append("</div>")
    return "".join(parts)


def _same(a: Grid, b: Grid) -> bool:
    return a.shape == b.shape and bool((a == b).all())


def task_section(task: Task, rows: dict[RowKey, Row], solvers: list[str]) -> str:
    found = {s: rows.get((task.category, task.id, s)) for s in solvers}
    solved_by = " ".join(s for s, r in found.items() if r is not None and r["score"] == 1.0)
    grids = [g for p in (*task.train, *task.test) for g in (p.input, p.output) if g is not None]
    cell = cell_size_for(grids, max_pixels=160)
    train = "".join(
        _pair(p.input, p.output, f"train {i + 1}", "output", cell) for i, p in enumerate(task.train)
    )
    test = "".join(
        _pair(p.input, p.output, f"test {i + 1}", "expected", cell) for i, p in enumerate(task.test)
    )
    blocks = "".join(_solver_block(task, found[s], s, cell) for s in solvers)
    badge = (
        f'<span class="badge solved">solved by {escape(", ".join(solved_by.split()))}</span>'
        if solved_by
        else '<span class="badge unsolved">unsolved</span>'
    )
    return (
        f'<section class="task" data-category="{escape(task.category)}" data-solved="{escape(solved_by)}">'
        f"<h2>{escape(task_label((task.category, task.id)))}{badge}</h2>"
        f'<div class="pairs">{train}</div><div class="pairs">{test}</div>{blocks}</section>'
    )


def _pair(grid_in: Grid, grid_out: Grid | None, label: str, out_label: str, cell: int) -> str:
    return (
        f'<div class="pair">{_figure(grid_in, f"{label} input", cell)}<span class="arrow">→</span>'
        f"{_figure(grid_out, f'{label} {out_label}', cell)}</div>"
    )


def bad_task_section(bad: BadTask) -> str:
    return (
        f'<section class="task" data-category="{escape(bad.category)}" data-solved="">'
        f'<h2>{escape(task_label((bad.category, bad.id)))}<span class="badge unsolved">malformed</span></h2>'
        f'<div class="error">malformed task: {escape(bad.error)}</div></section>'
    )


def _select(element_id: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in options)
    return f'<label>{label} <select id="{element_id}">{opts}</select></label> '


def _markdown_table_html(markdown: str) -> str:
    lines = [line.strip("|").split("|") for line in markdown.splitlines() if not line.startswith("|---")]
    head, *body = lines
    th = "".join(f"<th>{escape(c.strip())}</th>" for c in head)
    trs = "".join("<tr>" + "".join(f"<td>{escape(c.strip())}</td>" for c in r) + "</tr>" for r in body)
    return f"<table><tr>{th}</tr>{trs}</table>"


def render_report(
    tasks: list[Task],
    bad_tasks: list[BadTask],
    rows: dict[RowKey, Row],
    solvers: list[str],
    summary: dict[str, Any],
    title: str,
) -> str:
    categories = sorted({t.category for t in tasks} | {b.category for b in bad_tasks})
    filters = (
        _select("f-solver", "solver", [("", "all solvers"), *((s, s) for s in solvers)])
        + _select("f-state", "tasks", [("all", "all"), ("solved", "solved"), ("unsolved", "unsolved")])
        + _select(
            "f-category", "category", [("", "all categories"), *((c, c or "(none)") for c in categories)]
        )
        + '<span><span id="shown"></span> tasks shown</span>'
    )
    sections = [task_section(t, rows, solvers) for t in tasks] + [bad_task_section(b) for b in bad_tasks]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f'<body data-status="loading"><h1>{escape(title)}</h1>'
        f"{_markdown_table_html(comparison_table(summary))}"
        f'<div class="filters">{filters}</div>{"".join(sections)}'
        f"<script>{SCRIPT}</script></body></html>"
    )
