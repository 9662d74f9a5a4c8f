"""How well prior checkpoints rank the primitives of known programs (issue 5).

For each task with a program (`meta["program"]`: generated tasks, or `found_programs.py` output),
the share of tasks whose program's primitives all rank in the prior's top k, and the mean share of a
program's primitives that do. A primitive the checkpoint has no label for counts as missed; view
wrappers (`rank_colors`, `unrank_colors`) are left out, since the search adds them, not the prior.

    python benchmarks/prior_recall.py /tmp/s8/arcB model/checkpoints/prior /tmp/s8/priorA
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from dsl.task import Task
from model.data import load_folder, program_primitives
from synth.prior import PriorModel
from synth.search_views import VIEW_PRIMITIVES

TOPS = (3, 5, 10)


def recall(prior: PriorModel, tasks: list[Task], tops: tuple[int, ...] = TOPS) -> dict[str, float]:
    all_in = dict.fromkeys(tops, 0)
    share = dict.fromkeys(tops, 0.0)
    n = 0
    for task in tasks:
        used = (program_primitives(task) or set()) - VIEW_PRIMITIVES
        probabilities = prior.probabilities(task)
        if not used or probabilities is None:
            continue
        n += 1
        rank = {name: i for i, name in enumerate(sorted(probabilities, key=lambda k: -probabilities[k]))}
        for k in tops:
            hits = sum(rank.get(name, math.inf) < k for name in used)
            all_in[k] += hits == len(used)
            share[k] += hits / len(used)
    out: dict[str, float] = {"tasks": n}
    for k in tops:
        out[f"all_top{k}"] = round(all_in[k] / max(n, 1), 3)
        out[f"share_top{k}"] = round(share[k] / max(n, 1), 3)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="folder of tasks with programs")
    ap.add_argument("checkpoints", nargs="+", type=Path)
    args = ap.parse_args(argv)
    tasks = load_folder(args.data)
    for checkpoint in args.checkpoints:
        print(checkpoint, recall(PriorModel(checkpoint, threads=1), tasks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
