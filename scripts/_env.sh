# shellcheck shell=bash
# Shared bootstrap of the scripts in this folder; source it, then call ensure_venv.
#
# It moves to the repository root and keeps .venv in step with requirements_test.txt:
# the virtualenv is created when missing or broken (Python >= 3.14.2 from $PYTHON, python3.14 on
# PATH, ../shared/tools/python3.14, then uv's managed Pythons), and the requirements are installed
# with uv again only when requirements_test.txt changed (its hash is kept in .venv).
#
# DINSTAR_HA selects the Home Assistant release the scripts run against:
#   pinned (default)  .venv          requirements_test.txt (the test harness's pinned release)
#   newest            .venv-newest   the same, with the pins of requirements_test_newest.txt
#                                    overriding the harness's (uv --override)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
DINSTAR_HA=${DINSTAR_HA:-pinned}
REQUIREMENTS=requirements_test.txt
case $DINSTAR_HA in
  pinned) VENV_DIR=$REPO_ROOT/.venv; OVERRIDES=() ;;
  newest) VENV_DIR=$REPO_ROOT/.venv-newest; OVERRIDES=(requirements_test_newest.txt) ;;
  *) printf 'error: DINSTAR_HA must be pinned or newest, not %s\n' "$DINSTAR_HA" >&2; exit 1 ;;
esac
REQUIREMENTS_STAMP=$VENV_DIR/.requirements_test.sha256
MIN_PYTHON='3.14.2'
_PY_CHECK='import sys; sys.exit(0 if sys.version_info >= (3, 14, 2) else 1)'

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when $1 names a runnable Python >= 3.14.2.
python_ok() { [ -n "$1" ] && [ -x "$1" ] && "$1" -c "$_PY_CHECK" 2>/dev/null; }

# Sets UV to a uv executable, installing uv with pip when none is found.
ensure_uv() {
  UV=$(command -v uv 2>/dev/null || true)
  if [ -n "$UV" ]; then return 0; fi
  # The uv package of PyPI knows where pip put its binary (user or system scripts folder).
  local find_bin='import uv; print(uv.find_uv_bin())'
  UV=$(python3 -c "$find_bin" 2>/dev/null || true)
  if [ -n "$UV" ] && [ -x "$UV" ]; then return 0; fi
  say "uv not found; installing it with pip (python3 -m pip install --user uv)"
  python3 -m pip install --quiet --user uv >&2 \
    || python3 -m pip install --quiet uv >&2 \
    || python3 -m pip install --quiet --user --break-system-packages uv >&2 \
    || die "could not install uv with pip"
  UV=$(python3 -c "$find_bin" 2>/dev/null || true)
  if [ -z "$UV" ] || [ ! -x "$UV" ]; then die "uv was installed but its binary was not found"; fi
}

# Prints the path of a Python >= 3.14.2, in the documented order of preference.
find_python() {
  local cand
  if [ -n "${PYTHON:-}" ]; then
    cand=$(command -v "$PYTHON" 2>/dev/null || true)
    if python_ok "$cand"; then echo "$cand"; return 0; fi
    say "PYTHON=$PYTHON is not a Python >= $MIN_PYTHON; looking further"
  fi
  cand=$(command -v python3.14 2>/dev/null || true)
  if python_ok "$cand"; then echo "$cand"; return 0; fi
  if [ -x "$REPO_ROOT/../shared/tools/python3.14" ]; then
    cand=$("$REPO_ROOT/../shared/tools/python3.14" || true)
    if python_ok "$cand"; then echo "$cand"; return 0; fi
  fi
  ensure_uv
  cand=$("$UV" python find ">=$MIN_PYTHON" 2>/dev/null || true)
  if python_ok "$cand"; then echo "$cand"; return 0; fi
  say "asking uv for a managed Python 3.14"
  "$UV" python install 3.14 >&2 || true
  cand=$("$UV" python find ">=$MIN_PYTHON" 2>/dev/null || true)
  if python_ok "$cand"; then echo "$cand"; return 0; fi
  die "no Python >= $MIN_PYTHON found (set PYTHON, or provide ../shared/tools/python3.14)"
}

_requirements_hash() { cat "$REQUIREMENTS" "${OVERRIDES[@]}" | sha256sum | cut -d' ' -f1; }

# Creates or refreshes .venv, then puts its bin folder first on PATH.
ensure_venv() {
  # Several people (and their scripts) share this checkout: one bootstrap at a time.
  local lock_fd
  if command -v flock >/dev/null 2>&1; then
    local lock_file
    lock_file=${TMPDIR:-/tmp}/dinstar-venv-$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-16).lock
    exec {lock_fd}>"$lock_file"
    flock "$lock_fd"
  fi
  if [ -e "$VENV_DIR" ] && ! python_ok "$VENV_DIR/bin/python"; then
    say "$VENV_DIR is broken or too old; recreating it"
    rm -rf "$VENV_DIR"
  fi
  if [ ! -e "$VENV_DIR" ]; then
    local python
    python=$(find_python)
    ensure_uv
    say "creating $VENV_DIR with $python ($("$python" --version 2>&1))"
    "$UV" venv --quiet --python "$python" "$VENV_DIR" >&2
  fi
  local want
  want=$(_requirements_hash)
  if [ "$(cat "$REQUIREMENTS_STAMP" 2>/dev/null || true)" != "$want" ]; then
    ensure_uv
    local overrides=()
    if [ "${#OVERRIDES[@]}" -gt 0 ]; then overrides=(--override "${OVERRIDES[@]}"); fi
    say "installing $REQUIREMENTS ${overrides[*]} into $VENV_DIR"
    "$UV" pip install --quiet --python "$VENV_DIR/bin/python" -r "$REQUIREMENTS" "${overrides[@]}" >&2
    echo "$want" >"$REQUIREMENTS_STAMP"
  fi
  if [ -n "${lock_fd:-}" ]; then exec {lock_fd}>&-; fi
  export VIRTUAL_ENV=$VENV_DIR
  export PATH=$VENV_DIR/bin:$PATH
  hash -r
}
