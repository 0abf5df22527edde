"""Benchmark the report engine side by side with its peers (run by hand: ``make bench``).

On a temporary copy of the repository (the venv is reused; ``PYTHONPATH`` points the kernels'
``helpers`` at the copy), the same matrix (``reports.toml``, 14 runs), the same machine, one
run after the other, each way timed cold and with nothing changed (no-op):

1. the ``papermill`` CLI in a sequential loop;
2. papermill's Python API in a ``ProcessPoolExecutor(jobs)``;
3. jupyter-cache's ``local-parallel`` executor (installed at bench time with pip into a
   temporary folder, version :data:`JUPYTER_CACHE`, unless already importable);
4. the engine on its local pool (``c5 reports --force``, then ``c5 reports``);
5. the engine on a Dask LocalCluster (``--executor dask``).

The engine runs with the readers' site and PDFs off (``C5_SITE=0 C5_PDF=0``: no peer builds a
site) and with its HTML page per run on (no peer renders one: the engine does more work). The
papermill ways have no cache: their no-op is a full run, reported as such. Ratios are to the
best peer's cold time; the cell-time floor is the sum of the engine's cell times / ``--jobs``.
Peak memory: the whole process tree of each way (RSS summed, sampled every 0.1 s).

``--scale``: the engine alone over growing matrices (the first N runs of
``reports-scale.toml`` by year window, country and notebook; N = 14, 50, 120) with 1 and 2 workers: cold, no-op and peak memory.

Writes docs/benchmarks.md (``--scale``: its "Growth" section) and charts under docs/.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
COPY = ("notebooks", "data", "src", "seeds", "requirements.lock", "reports.toml",
        "reports-scale.toml", "pyproject.toml")
JUPYTER_CACHE = "1.0.1"
DOC = ROOT / "docs" / "benchmarks.md"
GROWTH = "## Growth"


def copy_repo(dest):
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(
                "__pycache__", ".ipynb_checkpoints", ".execute-*", "_jcache_*"))
        elif src.exists():
            shutil.copy2(src, dest / name)


def env_for(repo, extra_path=None):
    env = dict(os.environ, C5_SITE="0", C5_PDF="0")
    paths = (str(repo / "src"), extra_path, env.get("PYTHONPATH"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    for name, rel in (("JUPYTER_DATA_DIR", "share/jupyter"), ("IPYTHONDIR", "ipython"),
                      ("MPLCONFIGDIR", "matplotlib")):
        env.setdefault(name, str(VENV_BIN.parent / rel))
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    return env


def load():
    return os.getloadavg()[0]


def measure(cmd, env, cwd):
    """Run ``cmd``; return (wall seconds, peak RSS in MB of its whole process tree, load)."""
    import psutil

    before = load()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peak, done = [0.0], threading.Event()

    def sample():
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            peak[0] = max(peak[0], total / 2**20)
            done.wait(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    if proc.returncode:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{out[-3000:]}")
    print(f"  {elapsed:6.2f} s  {peak[0]:5.0f} MB  load {before:.1f}  "
          f"{' '.join(Path(str(c)).name for c in cmd[:4])}", flush=True)
    inside = re.search(r" runs \(.*\) in ([0-9.]+)s;", out)  # the engine's own summary
    return elapsed, peak[0], max(before, load()), float(inside.group(1)) if inside else None


def engine_runs(repo, config):
    """The matrix as the engine expands it: input, slug, parameters, cwd."""
    sys.path.insert(0, str(repo / "src"))
    from helpers.engine.matrix import load_matrix

    matrix = load_matrix(config)
    return [{"input": str(matrix.notebooks / r.notebook), "slug": r.slug,
             "parameters": r.parameters, "cwd": str(matrix.notebooks)} for r in matrix.runs]


def cell_seconds(folder):
    """Sum of the cells' execution times (papermill's per-cell durations) of a build."""
    total = 0.0
    for path in Path(folder).glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            total += (cell.get("metadata", {}).get("papermill", {}).get("duration") or 0)
    return total


def jupyter_cache_path(tmp):
    """A folder to put on PYTHONPATH with jupyter-cache importable (pip --target)."""
    try:
        import jupyter_cache  # noqa: F401

        return None
    except ImportError:
        pass
    target = tmp / "jcache-site"
    print(f"installing jupyter-cache=={JUPYTER_CACHE} (and sqlalchemy) into {target}")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), f"jupyter-cache=={JUPYTER_CACHE}", "sqlalchemy"],
                   check=True)
    return str(target)


def engine_cmd(*extra):
    return [sys.executable, "-m", "helpers.cli", "reports", *extra]


def side_by_side(repo, tmp, jobs):
    env = env_for(repo)
    runs = engine_runs(repo, repo / "reports.toml")
    runs_file = tmp / "runs.json"
    runs_file.write_text(json.dumps(runs))
    rows, j = {}, ["--jobs", str(jobs)]
    # warm the file system cache (libraries, data) with one untimed run
    measure([str(VENV_BIN / "papermill"), runs[0]["input"], str(tmp / "warm.ipynb"),
             "--cwd", runs[0]["cwd"], "--no-progress-bar"], env, repo)

    out = repo / "reports-engine"
    rows["engine"] = [measure(engine_cmd("--force", "--output", str(out), *j), env, repo),
                      measure(engine_cmd("--output", str(out), *j), env, repo)]
    cells = cell_seconds(out / "current")
    out = repo / "reports-dask"
    rows["dask"] = [measure(engine_cmd("--force", "--executor", "dask", "--output", str(out),
                                       *j), env, repo),
                    measure(engine_cmd("--executor", "dask", "--output", str(out), *j),
                            env, repo)]

    def cli_loop():
        outdir = tmp / "cli"
        outdir.mkdir(exist_ok=True)
        script = "; ".join(
            f"{VENV_BIN / 'papermill'} {r['input']} {outdir / (r['slug'] + '.ipynb')} --cwd "
            f"{r['cwd']} -k python3 --no-progress-bar"
            + "".join(f" -p {k} {v}" for k, v in r["parameters"].items())
            for r in runs)
        return measure(["bash", "-ec", script], env, repo)

    cold = cli_loop()
    rows["papermill-cli"] = [cold, None]
    peers = [sys.executable, str(ROOT / "benchmarks" / "peers.py")]
    cold = measure([*peers, "papermill-pool", str(runs_file), str(tmp / "pool"), *j], env, repo)
    rows["papermill-pool"] = [cold, None]
    jenv = env_for(repo, jupyter_cache_path(tmp))
    jc = [*peers, "jupyter-cache", str(runs_file), str(tmp / "jcache")]
    rows["jupyter-cache"] = [measure(jc, jenv, repo), measure(jc, jenv, repo)]
    return rows, cells, len(runs)


LABELS = {
    "papermill-cli": "papermill CLI, sequential loop",
    "papermill-pool": "papermill API, ProcessPoolExecutor({jobs})",
    "jupyter-cache": "jupyter-cache {version}, `local-parallel` executor",
    "engine": "**engine**, local pool (`--jobs {jobs}`)",
    "dask": "**engine** on a Dask LocalCluster ({jobs} workers)",
}
PEERS = ("papermill-cli", "papermill-pool", "jupyter-cache")


def versions():
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("papermill", "nbclient", "ipykernel", "dask", "distributed", "jupyter-cache",
                 "pandas", "matplotlib"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = JUPYTER_CACHE if name == "jupyter-cache" else "-"
    return found


def machine():
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
            f"{mem:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def chart(rows, path, jobs):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(rows)
    cold = [rows[n][0][0] for n in names]
    noop = [rows[n][1][0] if rows[n][1] else rows[n][0][0] for n in names]
    labels = [LABELS[n].replace("**", "").replace("`", "").replace(" {version}", "")
              .format(jobs=jobs) for n in names]
    fig, ax = plt.subplots(figsize=(8, 3.6), constrained_layout=True)
    y = range(len(names))
    ax.barh([i + 0.2 for i in y], cold, height=0.4, color="#4c72b0", label="cold")
    ax.barh([i - 0.2 for i in y], noop, height=0.4, color="#dd8452",
            label="nothing changed (papermill: no cache, a full run)")
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlabel("Wall time (seconds)")
    ax.set_title("Same 14-run matrix, same machine, one run each way", loc="left")
    ax.legend(frameon=False)
    fig.text(0, -0.02, "Source: benchmarks/bench_reports.py on this repository", fontsize=8)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def report(rows, cells, n, jobs):
    best_name = min(PEERS, key=lambda k: rows[k][0][0])
    best = rows[best_name][0][0]
    floor = cells / jobs
    ver = versions()
    lines = [
        "# Report engine benchmark",
        "",
        f"Generated by `benchmarks/bench_reports.py` (`make bench`) on "
        f"{datetime.date.today().isoformat()}: {machine()}; {n} runs (`reports.toml`), "
        f"{jobs} parallel runs where a way has them. Versions: "
        + ", ".join(f"{k} {v}" for k, v in ver.items()) + ".",
        "",
        "Same matrix, same machine, one after the other in one invocation. The engine builds "
        "no site and no PDFs (`C5_SITE=0 C5_PDF=0`, no peer builds one) but renders its HTML "
        "page per run (no peer does: the engine does more work than its peers here). The "
        "papermill ways have no cache: their no-op is a full run. Times are the wall time of "
        "the whole command (interpreter start-up included); in brackets, the time the engine "
        "reports for its build. Load: the 1-minute load "
        "average at the start or end of each measurement, whichever was higher.",
        "",
        "| way | cold | no-op | cold / best peer | peak memory (process tree) | load |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (cold, noop) in rows.items():
        label = LABELS[name].format(jobs=jobs, version=ver["jupyter-cache"])
        noop_text = f"{noop[0]:.2f} s" if noop else "= cold (no cache)"
        if noop and noop[3] is not None:
            noop_text += f" ({noop[3]:.1f} s in the build)"
        lines.append(f"| {label} | {cold[0]:.1f} s | {noop_text} | {cold[0] / best:.2f} "
                     f"| {cold[1]:.0f} MB | {cold[2]:.1f} |")
    engine = rows["engine"][0][0]
    lines += [
        "",
        f"- Best peer: {LABELS[best_name].format(jobs=jobs, version=ver['jupyter-cache'])}, "
        f"{best:.1f} s. Engine (local pool) / best peer = **{engine / best:.2f}**; on Dask "
        f"{rows['dask'][0][0] / best:.2f}.",
        f"- Cell-time floor: the engine's cells took {cells:.1f} s in all, {floor:.1f} s per "
        f"worker with {jobs}; engine cold / floor = **{engine / floor:.2f}**.",
        "",
        "![cold and no-op wall time of each way](benchmarks.png)",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- growth


def subset_config(repo, runs, n, name):
    """A config with the first ``n`` runs of ``runs`` (Run objects), as explicit sets."""
    by_nb = {}
    for run in runs[:n]:
        by_nb.setdefault(run.notebook, []).append(run.parameters)
    text = '[settings]\ntimeout = 600\nkernel = "python3"\n'
    for notebook, sets in by_nb.items():
        items = ", ".join("{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in s.items()) + " }"
                          for s in sets)
        text += f'\n[[report]]\nnotebook = "{notebook}"\nparameters = [{items}]\n'
    path = repo / f"{name}.toml"
    path.write_text(text)
    return path


def growth(repo, sizes, workers):
    sys.path.insert(0, str(repo / "src"))
    from helpers.engine.matrix import load_matrix

    runs = load_matrix(repo / "reports-scale.toml").runs
    # by year window, then country, then notebook: any first N mixes countries and notebooks
    mixed = sorted(runs, key=lambda r: (r.parameters["start_year"], r.parameters["end_year"],
                                        r.parameters["country"], r.notebook))
    env = env_for(repo)
    results = []
    for n in sizes:
        config = subset_config(repo, mixed, n, f"scale-{n}")
        for jobs in workers:
            out = repo / f"reports-{n}-{jobs}"
            j = ["--config", str(config), "--output", str(out), "--jobs", str(jobs)]
            cold = measure(engine_cmd("--force", *j), env, repo)
            noop = measure(engine_cmd(*j), env, repo)
            results.append((n, jobs, cold, noop, cell_seconds(out / "current")))
            print(f"{n} runs, {jobs} workers: cold {cold[0]:.1f} s, no-op {noop[0]:.2f} s, "
                  f"peak {cold[1]:.0f} MB, load {cold[2]:.1f}", flush=True)
    return results


def growth_section(results):
    lines = [
        GROWTH,
        "",
        f"`make bench ARGS=--scale` on {datetime.date.today().isoformat()}: the first N runs of "
        "`reports-scale.toml` (120 runs: notebooks 02 and 03 for each of the five over year "
        "windows; ordered by window, country, notebook), engine local pool, site and PDFs off; peak memory of the whole "
        "process tree (build, workers, kernels).",
        "",
        "| runs | workers | cold | per run | cell-time floor | cold / floor | no-op (in the build) "
        "| peak memory | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, jobs, cold, noop, cells in results:
        floor = cells / jobs
        lines.append(f"| {n} | {jobs} | {cold[0]:.1f} s | {cold[0] / n:.2f} s | {floor:.1f} s "
                     f"| {cold[0] / floor:.2f} | {noop[0]:.2f} s ({noop[3]:.1f} s) | {cold[1]:.0f} MB "
                     f"| {cold[2]:.1f} |")
    lines += ["", "![cold time and peak memory against runs](benchmarks-scale.png)", ""]
    return "\n".join(lines)


def growth_chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), constrained_layout=True)
    for jobs in sorted({r[1] for r in results}):
        pts = [(n, c[0], c[1]) for n, j, c, _, _ in results if j == jobs]
        left.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"{jobs} workers")
        right.plot([p[0] for p in pts], [p[2] for p in pts], marker="o", label=f"{jobs} workers")
    left.set(title="Cold build", xlabel="Runs in the matrix", ylabel="Wall time (seconds)")
    right.set(title="Peak memory, whole process tree", xlabel="Runs in the matrix",
              ylabel="Resident memory (MB)")
    right.set_ylim(bottom=0)
    for ax in (left, right):
        ax.legend(frameon=False)
    fig.text(0, -0.02, "Source: benchmarks/bench_reports.py --scale on this repository",
             fontsize=8)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--scale", action="store_true", help="the growth curve instead")
    parser.add_argument("--sizes", default="14,50,120")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--output", default=str(DOC))
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="c5-bench-"))
    repo = tmp / "repo"
    repo.mkdir()
    doc = Path(args.output)
    # the doc's sections: the side-by-side part (up to the first "## "), "## Growth" and any
    # hand-written "## ..." section, kept as they are; each mode replaces its own part
    parts = ("\n" + doc.read_text(encoding="utf-8")).split("\n## ") if doc.exists() else [""]
    sections = {p.split("\n", 1)[0]: "## " + p.strip() + "\n" for p in parts[1:]}
    try:
        copy_repo(repo)
        if args.scale:
            results = growth(repo, [int(s) for s in args.sizes.split(",")],
                             [int(w) for w in args.workers.split(",")])
            growth_chart(results, doc.with_name("benchmarks-scale.png"))
            sections[GROWTH[3:]] = growth_section(results)
            top = parts[0].strip() + "\n"
        else:
            rows, cells, n = side_by_side(repo, tmp, args.jobs)
            chart(rows, doc.with_name("benchmarks.png"), args.jobs)
            top = report(rows, cells, n, args.jobs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = "\n".join([top.rstrip() + "\n", *sections.values()])
    doc.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
