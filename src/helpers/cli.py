"""The ``c5`` command: a thin argparse layer over the engine, the handouts and the data build.

Exit codes: 0 all ok, 1 some run failed, 2 bad configuration or usage, 3 another build is
running, 130 interrupted (Ctrl-C or SIGTERM).
"""

import argparse
import json
import signal
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _parser():
    from .engine import matrix

    parser = argparse.ArgumentParser(prog="c5", description="C5+1 research notebooks.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("reports", help="build every report of the parameter matrix")
    p.add_argument("--config", default=str(matrix.DEFAULT_CONFIG),
                   help="parameter matrix (default: reports.toml)")
    p.add_argument("--output", help="reports directory (default: from the config, reports/)")
    p.add_argument("--jobs", "-j", type=int, help="parallel runs (default: CPU count)")
    p.add_argument("--timeout", type=float, help="per-cell timeout in seconds (default 600)")
    p.add_argument("--force", action="store_true", help="re-run even unchanged runs")
    p.add_argument("--retries", type=int, default=2,
                   help="extra attempts when a kernel fails to start (default 2)")
    p.add_argument("--executor", choices=("process", "dask"), default="process",
                   help="local process pool (default) or a Dask distributed cluster")
    p.add_argument("--scheduler", help="an existing Dask cluster: scheduler address "
                   "(tcp://host:port) or scheduler file; implies --executor dask "
                   "(default: a LocalCluster of --jobs workers)")
    p.add_argument("--check", action="store_true", help="validate the matrix and exit")

    p = sub.add_parser("run", help="run one notebook ad hoc with parameters (papermill-like), "
                                   "checked like reports.toml")
    p.add_argument("notebook", help="a notebook in notebooks/, e.g. 02_trade_flows.ipynb")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="a parameter (value read as papermill "
                   "does: int, float, True/False/None, else text)")
    p.add_argument("--output", "-o", help="executed notebook (default: "
                                          "reports/runs/<label>.ipynb; its page next to it)")
    p.add_argument("--timeout", type=float, default=matrix.DEFAULT_TIMEOUT,
                   help="per-cell timeout in seconds (default 600)")

    p = sub.add_parser("handouts", help="write student and instructor notebooks, lesson plans and PDFs")
    p.add_argument("notebooks", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    p.add_argument("--output", help="handouts directory (default: handouts/)")
    p.add_argument("--no-pdf", action="store_true", help="write the notebooks and lesson plans only")

    p = sub.add_parser("execute-in-place", help="re-execute committed notebooks in place")
    p.add_argument("notebooks", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    p.add_argument("--jobs", "-j", type=int, help="parallel runs (default: CPU count)")
    p.add_argument("--timeout", type=float, default=matrix.DEFAULT_TIMEOUT,
                   help="per-cell timeout in seconds (default 600)")

    sub.add_parser("build-data", help="rebuild data/derived/ from data/raw/")
    return parser


def _summary(result, out=None):
    from .data import paths
    from .engine.build import STATUSES

    out = out or sys.stdout
    counts = ", ".join(f"{n} {s}" for s in STATUSES
                       if (n := sum(e["status"] == s for e in result.entries)))
    try:
        where = paths.relative(result.build_dir)
    except ValueError:
        where = str(result.build_dir)
    print(f"{len(result.entries)} runs ({counts}) in {result.duration:.1f}s; "
          f"published {where}/index.html", file=out)
    if result.failures:
        print(f"{len(result.failures)} run(s) failed:", file=out)
        for e in result.failures:
            first = (e["error"] or "").splitlines()[0] if e["error"] else "unknown error"
            kept = " (last good report kept, marked stale)" if e["status"] == "stale" else ""
            print(f"  {e['slug']}: {first}{kept}", file=out)


def _value(text):
    """A ``-p`` value read as papermill reads it (``papermill.cli._resolve_type``)."""
    if text in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[text]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _run_one(args):
    """``c5 run``: the pre-flight of ``reports.toml`` for one notebook, then one run."""
    import tempfile
    from pathlib import Path

    from .data import paths
    from .engine.execute import execute_run
    from .engine.matrix import load_matrix
    from .errors import C5Error

    body = ", ".join(f"{name} = {json.dumps(_value(value))}" for name, value in args.parameter)
    name = Path(args.notebook).name
    with tempfile.TemporaryDirectory() as tmp:  # the same checks: one [[report]] of one run
        config = Path(tmp) / "run.toml"
        config.write_text(
            "[paths]\n" + "".join(f"{k} = {json.dumps(str(getattr(paths, v)))}\n" for k, v in (
                ("notebooks", "NOTEBOOKS"), ("data", "DATA"), ("seeds", "SEEDS"),
                ("reports", "REPORTS"))) +
            f"\n[[report]]\nnotebook = {json.dumps(name)}\n"
            + (f"parameters = [{{ {body} }}]\n" if body else ""), encoding="utf-8")
        try:
            run = load_matrix(config).runs[0]
        except C5Error as exc:
            raise C5Error(str(exc).replace("run.toml: report #1", "run")) from None
    out = Path(args.output) if args.output else paths.REPORTS / "runs" / f"{run.slug}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = execute_run({"slug": run.slug, "input": str(paths.NOTEBOOKS / name),
                          "output": str(out.resolve()), "parameters": run.parameters,
                          "cwd": str(paths.NOTEBOOKS), "kernel": "python3",
                          "timeout": args.timeout, "retries": 2, "render": True,
                          "fresh_kernel": True})
    if not result["ok"]:
        print(f"c5 run: {run.slug}: {result['error'].splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{run.slug}: ok in {result['duration']:.1f}s; wrote {out} and "
          f"{out.with_suffix('.html')}")
    return EXIT_OK


def _sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    """Run the ``c5`` command; return its exit code."""
    args = _parser().parse_args(argv)
    from .errors import BuildLockedError, C5Error

    signal.signal(signal.SIGTERM, _sigterm)
    # Ctrl-C interrupts a build even when the parent started us with SIGINT ignored (a
    # background job of a script, some test runners): Python then installs no handler itself
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if args.command == "reports":
            from .engine.build import build
            from .engine.matrix import load_matrix

            if args.check:
                matrix = load_matrix(args.config)
                print(f"{matrix.source.name}: {len(matrix.runs)} runs ok")
                return EXIT_OK
            result = build(args.config, output=args.output, jobs=args.jobs,
                                   timeout=args.timeout, force=args.force,
                                   executor="dask" if args.scheduler else args.executor,
                                   scheduler=args.scheduler,
                                   retries=args.retries)
            _summary(result)
            return result.exit_code
        if args.command == "run":
            return _run_one(args)
        if args.command == "handouts":
            from .data import paths
            from .teaching.handouts import make_handouts

            written = make_handouts(args.notebooks or None,
                                    output=args.output or paths.HANDOUTS, pdf=not args.no_pdf)
            kinds = ", ".join(f"{sum(p.suffix == s for p in written)} {s[1:]}"
                              for s in (".ipynb", ".pdf", ".md"))
            print(f"wrote {len(written)} handout files ({kinds}) in {args.output or 'handouts/'}")
            return EXIT_OK
        if args.command == "execute-in-place":
            from .engine.inplace import execute_in_place

            results = execute_in_place(args.notebooks or None, jobs=args.jobs,
                                               timeout=args.timeout)
            failed = [r for r in results if not r["ok"]]
            for r in failed:
                print(f"  {r['slug']}: {r['error'].splitlines()[0]} (left unchanged)")
            return EXIT_FAILED if failed else EXIT_OK
        if args.command == "build-data":
            from .data import derive

            derive.build_all()
            return EXIT_OK
    except BuildLockedError as exc:
        print(f"c5: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except C5Error as exc:
        print(f"c5: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("c5: interrupted; the published reports are unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # a full disk or a file-size limit while writing the build
        where = f" {exc.filename}" if exc.filename else ""
        print(f"c5: cannot write{where}: {exc.strerror or exc}; the build stopped, "
              "the published reports are unchanged", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
