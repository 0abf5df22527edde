#!/bin/sh
# Configure git for Jupyter notebooks in one checkout (git config --local only):
#   diff    nbdime's cell-level diff driver for `git diff` (the working tree is passed
#           through the clean filter first, so the diff matches what `git add` would store)
#   merge   nbdime's merge driver: the result is always a valid notebook; conflicting
#           sources get inline markers inside the cell, conflicting outputs are cleared
#   filter  nbstripout as a clean filter that keeps outputs, execution counts and cell ids
#           and drops timing/execution metadata (nbconvert, papermill, JupyterLab)
#   alias   `git nbdiff [-s] [REV [REV]] [-- PATH]`: nbdime's diff, -s = sources only
# The drivers are named in the committed .gitattributes; the executables are written as
# absolute paths into .venv/bin, so they work from a plain shell without activating it.
#
# usage: tools/git-notebooks.sh [REPOSITORY [VENV_BIN]]
#   REPOSITORY  top of the checkout to configure (default: this project)
#   VENV_BIN    directory holding nbdime's and nbstripout's executables (default: .venv/bin)
# Called by `make setup`. Does nothing (exit 0) when REPOSITORY is not the top of a git
# checkout, e.g. a copy unpacked from a tarball.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd -P)
repo=$(cd "${1:-$here}" && pwd -P)
bin=$(cd "${2:-$here/.venv/bin}" && pwd -P)

command -v git >/dev/null 2>&1 || exit 0
top=$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null) || exit 0
[ "$(cd "$top" && pwd -P)" = "$repo" ] || exit 0   # inside some other repository: leave it alone

for exe in git-nbdiffdriver git-nbmergedriver git-nbdifftool git-nbmergetool nbdiff nbstripout; do
    [ -x "$bin/$exe" ] || { echo "tools/git-notebooks.sh: $bin/$exe is missing (run make setup)" >&2; exit 1; }
done

# a path as one shell word (git runs these commands through sh)
case $bin in
    *[!A-Za-z0-9/._+@%=:,-]*) b="'$(printf '%s' "$bin" | sed "s/'/'\\\\''/g")'" ;;
    *) b=$bin ;;
esac

cfg() { git -C "$repo" config --local "$1" "$2"; }

cfg diff.jupyternotebook.command "$b/git-nbdiffdriver diff --use-filter"
cfg merge.jupyternotebook.name "jupyter notebook merge driver (nbdime)"
cfg merge.jupyternotebook.driver "$b/git-nbmergedriver merge --merge-strategy inline --output-strategy clear-all %O %A %B %L %P"
cfg filter.jupyternotebook.clean "$b/nbstripout --keep-output --keep-count --keep-id --unix-newlines --extra-keys 'metadata.papermill cell.metadata.papermill cell.metadata.execution metadata.vscode'"
cfg filter.jupyternotebook.smudge cat
# web tools: `git difftool --tool=nbdime`, `git mergetool --tool=nbdime`
cfg difftool.nbdime.cmd "$b/git-nbdifftool diff \"\$LOCAL\" \"\$REMOTE\" \"\$BASE\""
cfg mergetool.nbdime.cmd "$b/git-nbmergetool merge \"\$BASE\" \"\$LOCAL\" \"\$REMOTE\" \"\$MERGED\""
cfg mergetool.nbdime.trustExitCode false
cfg alias.nbdiff "!$b/nbdiff"
