# C5+1 Research Notebooks — the commands a newcomer types.
#   make reports   set up (if needed) and build every report into reports/
#   make test      set up (if needed) and run the whole test suite
#   make lab       open JupyterLab on notebooks/ with the project's kernel
#   make lock      regenerate requirements.lock from requirements.in
#   (also: handouts, notebooks, data, test-fast, bench, clean, distclean,
#    delete-published-reports; see README.md)
# Everything installs into .venv/ inside the repository; nothing is registered outside it.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.9

# Keep Jupyter, IPython and matplotlib per-project: a user's own kernels, startup files or
# matplotlibrc must not change what the notebooks compute or draw.
export JUPYTER_PLATFORM_DIRS := 1
export JUPYTER_DATA_DIR   := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_CONFIG_DIR := $(CURDIR)/$(VENV)/etc/jupyter-user
export IPYTHONDIR         := $(CURDIR)/$(VENV)/ipython
export MPLCONFIGDIR       := $(CURDIR)/$(VENV)/matplotlib
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup env-check git-setup reports handouts lab-student lab-instructor test test-fast lab lock data notebooks bench clean distclean delete-published-reports help
.DEFAULT_GOAL := help

help:
	@sed -n '2,8p' Makefile | sed 's/^# *//'

# A package deleted or changed since the stamp was written (pip uninstall, a stray upgrade) is
# found by tools/check_env.py (0.2 s) and reinstalled from the lock.
setup: git-setup

env-check: $(STAMP)
	@$(PY) tools/check_env.py || { echo "repairing $(VENV) from requirements.lock"; rm -f $(STAMP); \
	  $(MAKE) --no-print-directory $(STAMP); }

# Notebooks in git (README "Notebooks in git"): nbdime's diff and merge drivers and a clean
# filter that drops timing metadata, in this checkout's .git/config only, with absolute paths
# into .venv/bin. Re-run by every `make setup`; does nothing outside a git checkout.
git-setup: env-check
	@sh tools/git-notebooks.sh

# The stamp is older than the lock or pyproject => reinstall. An interrupted install leaves no
# stamp, so the next `make setup` simply runs again (pip skips what is already there).
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "C5+1 notebooks need Python 3.11 or newer; $(PYTHON) is %d.%d.%d. Run: make PYTHON=/path/to/python3.11" % v[:3])'
	@if [ -x $(PY) ] && ! $(PY) -c '' 2>/dev/null; then echo "removing broken $(VENV)"; rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "$(PYTHON) cannot create virtual environments: install its venv module (Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation --editable .
	@# nbconvert --execute (this .venv's, from any shell) records no per-cell timestamps: a re-run
	@# of an unchanged notebook keeps its size, so git status stays clean (README "Notebooks in git")
	@mkdir -p $(VENV)/etc/jupyter && printf '{\n  "NotebookClient": {\n    "record_timing": false\n  }\n}\n' \
	  > $(VENV)/etc/jupyter/jupyter_nbconvert_config.json
	@touch $(STAMP)

# GNU make turns any failing recipe into its own exit status 2, so `make reports` names c5's
# code (0 ok, 1 a run failed, 2 bad configuration, 3 another build running, 130 interrupted)
# in its last line; a caller that branches on the code (cron, CI) runs the two steps itself:
#   make -s setup && .venv/bin/c5 reports     (README "Scheduled reports")
reports: $(STAMP)
	@$(VENV)/bin/c5 reports $(ARGS); rc=$$?; case $$rc in \
	  0) ;; 1) why="some run failed";; 2) why="bad configuration or usage, nothing ran";; \
	  3) why="another build is running";; 130) why="interrupted";; *) why="unexpected";; esac; \
	  [ $$rc -eq 0 ] || echo "c5 reports exited with code $$rc ($$why); the published set is in reports/current" >&2; \
	  exit $$rc

handouts: $(STAMP)
	$(VENV)/bin/c5 handouts $(ARGS)

# JupyterLab on the students' notebooks (answers blank, self-checks) or the instructors' (solutions);
# `make lab` stays on notebooks/ for researchers. Makes the handouts first if they are missing.
lab-student lab-instructor: $(STAMP)
	@[ -d handouts/$(@:lab-%=%) ] || $(VENV)/bin/c5 handouts
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) handouts/$(@:lab-%=%)/ $(ARGS)

# unit and doctests, papermill runs of every notebook and parameter set, nbval over the
# committed notebooks (lax: cells tagged nbval-check-output), the browser test of the reports;
# one pytest worker per core (pytest-xdist), a notebook's cells and the tests sharing the
# session's report build each kept in one worker (tests/conftest.py)
TEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile tests src/helpers notebooks --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg $(ARGS)

# unit tests only: no notebook execution, no browser
test-fast: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not notebooks and not browser" -p no:nbval tests src/helpers $(ARGS)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/ $(ARGS)

# Re-execute the committed notebooks in place (default parameters) so that nbval compares
# against fresh outputs; run after editing a notebook or the data it reads.
notebooks: $(STAMP)
	$(VENV)/bin/c5 execute-in-place $(ARGS)

# Rebuild data/derived/ from data/raw/ (committed; a test proves the rebuild is byte-identical).
data: $(STAMP)
	$(VENV)/bin/c5 build-data

bench: $(STAMP)
	$(PY) benchmarks/bench_reports.py $(ARGS)

# The lock is universal (Linux/macOS/Windows markers) for Python >= 3.11, with hashes.
# rfc3987-syntax (and its lark) are left out on purpose: see docs/environment.md.
lock:
	@[ -x $(VENV)/bin/uv ] || { [ -x $(PY) ] || $(PYTHON) -m venv $(VENV); $(PY) -m pip install --quiet uv==$(UV_VERSION); }
	$(VENV)/bin/uv pip compile requirements.in --universal --python-version 3.11 --generate-hashes \
	  --no-emit-package rfc3987-syntax --no-emit-package lark \
	  --no-header --custom-compile-command "make lock" -o requirements.lock $(ARGS)

# Published reports are removed only by the target that says so: `clean` and `distclean` keep
# reports/ (the README's cron line logs outside the repository) and drop only what a killed build
# left behind there.
clean:
	rm -rf handouts .pytest_cache build src/*.egg-info reports/.staging-* reports/.current-*

distclean: clean
	rm -rf $(VENV)

# Deletes every published report (reports/current and the kept builds).
delete-published-reports:
	rm -rf reports
