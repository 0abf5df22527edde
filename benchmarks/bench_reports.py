"""Benchmark the report engine against a naive papermill loop (run by hand: ``make bench``).

On a temporary copy of the repository (so changing a data file corrupts nothing; the venv
is reused, and ``PYTHONPATH`` points the kernels' ``helpers`` at the copy), times:

(a) naive: the ``papermill`` CLI in a sequential loop over the matrix's runs (execution only);
(b) engine cold: ``c5 reports --force`` into an empty reports directory (execution + an HTML
    rendering per run, in parallel);
(c) engine with nothing changed;
(d) engine after one data file changed (the file the fewest runs read, one byte appended).

Writes a Markdown table to docs/benchmarks.md. Entries of reports.toml whose notebook does not
exist yet are dropped (and listed in the output).
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
COPY = ("notebooks", "data", "src", "seeds", "docs", "requirements.lock", "reports.toml",
        "pyproject.toml")


def copy_repo(dest):
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(
                "__pycache__", ".ipynb_checkpoints", ".execute-*"))
        elif src.exists():
            shutil.copy2(src, dest / name)


def reduce_matrix(repo):
    """Drop entries whose notebook is missing; return the names dropped."""
    text = (repo / "reports.toml").read_text()
    doc = tomllib.loads(text)
    missing = [e["notebook"] for e in doc["report"]
               if not (repo / "notebooks" / e["notebook"]).is_file()]
    if missing:
        blocks = text.split("[[report]]")
        kept = [b for b in blocks[1:] if not any(f'"{m}"' in b for m in missing)]
        (repo / "reports.toml").write_text(blocks[0] + "".join("[[report]]" + b for b in kept))
    return missing


def stand_in(repo, source):
    """Write each missing notebook as a copy of ``source`` with a ``parameters`` cell that
    defines the matrix's parameters, so the full matrix can be timed before it is written."""
    import nbformat

    doc = tomllib.loads((repo / "reports.toml").read_text())
    made = []
    for entry in doc["report"]:
        path = repo / "notebooks" / entry["notebook"]
        if path.is_file():
            continue
        nb = nbformat.read(repo / "notebooks" / source, as_version=4)
        names = {**{k: v[0] for k, v in entry.get("matrix", {}).items()},
                 **{k: v for p in entry.get("parameters", []) for k, v in p.items()}}
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source += "".join(f"\n{k} = {v!r}" for k, v in names.items())
            # the project's notebooks refuse injected names they do not declare
            cell.source = cell.source.replace(
                "reject_unknown([", "reject_unknown([" + "".join(f"{k!r}, " for k in names))
        nbformat.write(nb, path)
        made.append(entry["notebook"])
    return made


def env_for(repo):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(repo / "src"), env.get("PYTHONPATH")) if p)
    for name, rel in (("JUPYTER_DATA_DIR", "share/jupyter"), ("IPYTHONDIR", "ipython"),
                      ("MPLCONFIGDIR", "matplotlib")):
        env.setdefault(name, str(VENV_BIN.parent / rel))
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    return env


def timed(cmd, env, cwd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed, proc


def naive(repo, runs, env):
    out = Path(tempfile.mkdtemp(prefix="naive-"))
    start = time.perf_counter()
    for run in runs:
        cmd = [str(VENV_BIN / "papermill"), str(repo / "notebooks" / run["notebook"]),
               str(out / f"{run['slug']}.ipynb"), "--cwd", str(repo / "notebooks"),
               "-k", "python3", "--no-progress-bar"]
        for name, value in run["parameters"].items():
            cmd += ["-p", name, str(value)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if proc.returncode:
            sys.exit(f"naive run {run['slug']} failed:\n{proc.stderr[-3000:]}")
    shutil.rmtree(out)
    return time.perf_counter() - start


def engine(repo, env, *extra):
    cmd = [sys.executable, "-m", "helpers.cli", "reports", *extra]
    elapsed, proc = timed(cmd, env, repo)
    manifest = json.loads((repo / "reports" / "current" / "manifest.json").read_text())
    return elapsed, manifest["runs"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--stand-in", metavar="NOTEBOOK",
                        help="time missing notebooks as copies of this one (e.g. 00_sources.ipynb)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="c5-bench-"))
    repo = tmp / "repo"
    repo.mkdir()
    try:
        copy_repo(repo)
        standins = stand_in(repo, args.stand_in) if args.stand_in else []
        if standins:
            print(f"stand-ins (copies of {args.stand_in}): {', '.join(standins)}")
        missing = reduce_matrix(repo)
        if missing:
            print(f"not yet written, left out of the matrix: {', '.join(missing)}")
        env = env_for(repo)
        jobs = ["--jobs", str(args.jobs)]

        b, runs = engine(repo, env, "--force", *jobs)
        children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        a = naive(repo, runs, env)
        c, runs_c = engine(repo, env, *jobs)
        counts = {}
        for run in runs:
            for dep in run.get("deps", {}):
                if dep.startswith("file:"):
                    counts[dep[5:]] = counts.get(dep[5:], 0) + 1
        changed = min(counts, key=lambda k: (counts[k], k)) if counts else None
        if changed:
            with open(repo / "data" / changed, "ab") as fh:
                fh.write(b"\n")
        d, runs_d = engine(repo, env, *jobs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rerun = [r["slug"] for r in runs_d if r["status"] == "ok"]
    kernel_peak = max((r.get("peak_rss_mb") or 0) for r in runs)
    per_worker = {}
    for r in runs:
        if r.get("worker"):
            per_worker[r["worker"]] = max(per_worker.get(r["worker"], 0), r.get("peak_rss_mb") or 0)
    failed = [r["slug"] for r in runs if r["status"] != "ok"]
    n = len(runs)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    today = datetime.date.today().isoformat()
    lines = [
        "# Report engine benchmark",
        "",
        f"Generated by `benchmarks/bench_reports.py` on {today}: {os.cpu_count()} CPUs, "
        f"{mem:.0f} GB RAM, Python {platform.python_version()}, {platform.system()}; "
        f"{n} runs, `--jobs {args.jobs}`.",
        "",
        "| scenario | wall time | per run | ratio |",
        "|---|---:|---:|---|",
        f"| (a) naive: `papermill` CLI, sequential loop (execute only) | {a:.1f} s | {a / n:.2f} s | |",
        f"| (b) engine cold (`--force`, execute + HTML render per run) | {b:.1f} s | {b / n:.2f} s "
        f"| b/a = {b / a:.2f} |",
        f"| (c) engine, nothing changed | {c:.1f} s | | c/b = {c / b:.3f} |",
        f"| (d) engine, one data file changed | {d:.1f} s | | re-ran {len(rerun)} of {n} |",
        "",
        f"- (c) reused {sum(r['status'] == 'skipped-reused' for r in runs_c)} of {n} runs.",
        f"- (d) changed `data/{changed}` (one byte appended); re-ran: "
        f"{', '.join(rerun) or 'none'}.",
        f"- Peak memory: largest kernel {kernel_peak:.0f} MB (kernel high-water mark, /proc VmHWM; one reused kernel per worker); "
        f"whole build process tree {children_peak:.0f} MB; per worker's kernel: "
        f"{', '.join(f'{v:.0f} MB' for v in sorted(per_worker.values(), reverse=True)) or 'n/a'}.",
    ]
    if standins:
        lines.append(f"- Stand-ins (not yet written; timed as copies of `{args.stand_in}` with a "
                     f"parameters cell): {', '.join(standins)}.")
    if missing:
        lines.append(f"- Not yet written, left out: {', '.join(missing)}.")
    if failed:
        lines.append(f"- Runs that failed in (b): {', '.join(failed)}.")
    text = "\n".join(lines) + "\n"
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
