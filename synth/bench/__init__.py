"""`synth bench`: every solver against every task, each (task, solver) in its own worker process with
the budget enforced from outside, results appended to `results.jsonl` as they finish (resumable),
then a summary, an HTML report and an ARC Prize submission.

Modules: `config` (BenchConfig), `jobs` (what a worker is given and returns), `worker` (the process
entry point), `isolation` (spawn, limit, kill), `executors` (local threads or dask), `results`
(rows and the append-only log), `summary`, `report`, `submission`, `progress`, `runner` (the loop:
`run_bench(BenchConfig) -> BenchRun`). Nothing is imported here, so a worker process starts light.
"""
