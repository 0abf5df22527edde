"""The peers of the report engine, each written the way a competent user would (run by
``bench_reports.py`` in a subprocess, so each is timed as a whole, start-up included).

    python peers.py papermill-pool RUNS.json OUT --jobs 2
    python peers.py jupyter-cache RUNS.json CACHE

``RUNS.json``: a list of ``{"input", "slug", "parameters", "cwd"}`` (the engine's matrix).

- ``papermill-pool``: ``papermill.execute_notebook`` for each run in a
  ``ProcessPoolExecutor(jobs)`` (a fresh kernel per run, as papermill does).
- ``jupyter-cache``: each run's notebook parameterised with papermill (the way its docs
  suggest for parameters: jupyter-cache has none), written next to the original (same
  working directory), added to a cache project and executed by jupyter-cache's
  ``local-parallel`` executor (a process per CPU, fresh kernel per notebook, results cached
  by the hash of the code). A second call with nothing changed is its no-op.
"""

import argparse
import concurrent.futures
import json
import sys
from pathlib import Path


def _one(run, out):
    import papermill

    papermill.execute_notebook(run["input"], str(Path(out) / f"{run['slug']}.ipynb"),
                               parameters=run["parameters"] or None, cwd=run["cwd"],
                               kernel_name="python3", progress_bar=False)
    return run["slug"]


def papermill_pool(runs, out, jobs):
    """papermill's Python API in a process pool; exits non-zero if a run failed."""
    Path(out).mkdir(parents=True, exist_ok=True)
    with concurrent.futures.ProcessPoolExecutor(jobs) as pool:
        for future in [pool.submit(_one, run, out) for run in runs]:
            future.result()


def jupyter_cache(runs, cache_dir):
    """jupyter-cache's ``local-parallel`` executor over papermill-parameterised copies."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    cache = get_cache(cache_dir)
    for run in runs:
        path = Path(run["input"]).with_name(f"_jcache_{run['slug']}.ipynb")
        if not path.exists():
            nb = load_notebook_node(run["input"])
            if run["parameters"]:
                nb = parameterize_notebook(nb, run["parameters"])
            nbformat.write(nb, path)
        cache.add_nb_to_project(str(path))
    result = load_executor("local-parallel", cache=cache).run_and_cache(timeout=600)
    if result.errored:
        sys.exit(f"jupyter-cache: {len(result.errored)} notebooks failed: {result.errored}")
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", choices=("papermill-pool", "jupyter-cache"))
    parser.add_argument("runs")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    runs = json.loads(Path(args.runs).read_text())
    if args.peer == "papermill-pool":
        papermill_pool(runs, args.out, args.jobs)
    else:
        jupyter_cache(runs, args.out)


if __name__ == "__main__":
    main()
