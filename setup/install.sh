#!/usr/bin/env bash
# Install applygate into its own virtual environment from the hash-pinned lock, and nothing else.
#
#   setup/install.sh DEST SOURCE [PYTHON]
#
# DEST    the virtual environment to make (removed first when it holds another version)
# SOURCE  what to install: the action's own checkout (a directory with pyproject.toml) or a wheel
# PYTHON  the interpreter to make it with (default python3; 3.11 or newer)
#
# Every distribution comes from setup/requirements.lock with `--require-hashes`: the dependencies,
# and setuptools to build SOURCE without build isolation (so nothing unpinned is fetched to build
# it). The script runs with an empty environment but for PATH, HOME, the temporary directory and
# the proxy and pip index settings: a secret the job put in the environment is not there while
# pip runs. Used by setup/action.yml; tests/test_setup.py runs it against a wheel of this project.
set -euo pipefail

if [ -z "${APPLYGATE_SETUP_CLEAN_ENV:-}" ]; then
  keep=(APPLYGATE_SETUP_CLEAN_ENV=1 "PATH=$PATH" "HOME=${HOME:-/tmp}" "TMPDIR=${TMPDIR:-/tmp}")
  for name in LANG http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
    PIP_INDEX_URL PIP_FIND_LINKS PIP_NO_INDEX PIP_CERT SSL_CERT_FILE PIP_CONFIG_FILE; do
    if [ -n "${!name:-}" ]; then keep+=("$name=${!name}"); fi
  done
  exec env -i "${keep[@]}" bash "$0" "$@"
fi

dest=$1 source=$2 python=${3:-python3}
lock="$(cd "$(dirname "$0")" && pwd)/requirements.lock"
pip=(--quiet --disable-pip-version-check --no-input)

"$python" -m venv --clear "$dest"
"$dest/bin/python" -m pip install "${pip[@]}" --require-hashes --no-deps --only-binary=:all: \
  -r "$lock"
# SOURCE itself is the action's own code (or a wheel of it): no index, no dependencies, no build
# isolation; its dependencies were installed from the lock just above, and pip checks that they
# satisfy its requirements.
"$dest/bin/python" -m pip install "${pip[@]}" --no-index --no-deps --no-build-isolation "$source"
"$dest/bin/python" -m pip check >/dev/null
"$dest/bin/applygate" --version
