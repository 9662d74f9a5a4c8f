"""Throughput of `synth generate programs`: tasks kept per second, with the drop statistics.

    python benchmarks/generate_throughput.py --n 2000 --depth 3 --jobs 2

Writes gzipped JSONL shards to a temporary folder (the realistic output path for large sets) and
prints one JSON object: the config, tasks/s, attempts, drops by reason and kept tasks by depth.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from synth.generate import GenerateConfig, JsonlShardWriter, generate_program_tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nodes", type=int, default=GenerateConfig(n=1).nodes)
    args = parser.parse_args()
    config = GenerateConfig(n=args.n, max_depth=args.depth, seed=args.seed, jobs=args.jobs, nodes=args.nodes)
    with tempfile.TemporaryDirectory() as folder:
        write = JsonlShardWriter(Path(folder))
        report = generate_program_tasks(config, write)
        write.close()
        shard_bytes = sum(p.stat().st_size for p in Path(folder).iterdir())
    result = {
        "config": vars(args),
        **report.to_json(),
        "shard_bytes_per_task": round(shard_bytes / max(1, report.generated)),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
