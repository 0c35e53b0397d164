# syntax=docker/dockerfile:1
# The applygate action image: a wheel built and installed in one stage, copied into a slim runtime
# that has no build tools, no pip cache and no wheel files. GitHub runs Docker actions as root.
ARG BASE_IMAGE=python:3.12-slim-bookworm

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# Everything installed lands under /install, laid out like /usr/local (bin/, lib/pythonX.Y/).
# Bytecode for these is compiled here (pip's default); the runtime stage compiles the stdlib modules.
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels . \
    && python -m pip install --no-cache-dir --no-warn-script-location --prefix /install /wheels/*.whl

FROM ${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# git for preflight and rollback. The runner mounts the workspace owned by another uid: applygate
# trusts it through its own environment, and the system setting covers git run by anything else.
# Debian's git is not pinned: the archive drops superseded versions, so a pin breaks the build.
# dpkg leaves out (as debian:slim does for docs) what applygate's git never runs, about 60 MB: the
# perl library (only git send-email/svn/cvs* need it; perl-base stays) and the server-side and
# mail programs. The rule is removed afterwards so images built on this one get full packages.
# hadolint ignore=DL3008
RUN printf 'path-exclude %s\n' \
        '/usr/share/perl/*' '/usr/lib/*/perl/*' '/usr/lib/*/libperl.so*' \
        /usr/bin/scalar /usr/bin/git-shell '/usr/lib/git-core/scalar' '/usr/lib/git-core/git-shell' \
        '/usr/lib/git-core/git-daemon' '/usr/lib/git-core/git-http-backend' \
        '/usr/lib/git-core/git-http-push' '/usr/lib/git-core/git-imap-send' \
        > /etc/dpkg/dpkg.cfg.d/applygate-git \
    && apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /etc/dpkg/dpkg.cfg.d/applygate-git /var/lib/apt/lists/* /var/cache/apt/*.bin \
        /var/cache/apt/archives/*.deb /var/log/apt /var/log/dpkg.log \
    && git config --system --add safe.directory /github/workspace
COPY --from=build /install /usr/local
# The official python:slim deletes the standard library's .pyc files, and PYTHONDONTWRITEBYTECODE
# keeps Python from writing them, so each start would compile again every module it imports
# (simulated: `applygate --version` 0.1 s -> 0.35 s; benchmarks/container.md). Compile those
# modules only (~4 MB; the whole library would be 12-15 MB): import every applygate module and
# what its functions import when they run (`lazy`, kept by tests/test_dockerfile.py), then compile
# each module loaded from a .py file under the interpreter's prefixes. compile_file skips a .pyc
# that is up to date, so where the bytecode exists (Debian's Python, our wheels) nothing is written.
# pkgutil is this step's own and compileall is imported after the list is made: neither is compiled.
RUN python -c 'import importlib, pkgutil, sys, applygate; \
    ours = [m.name for m in pkgutil.walk_packages(applygate.__path__, "applygate.")]; \
    lazy = ["git", "github", "github.GithubException", "requests", "signal"]; \
    [importlib.import_module(name) for name in ours + lazy if name != "applygate.__main__"]; \
    specs = [m.__spec__ for name, m in list(sys.modules.items()) if name != "pkgutil" and getattr(m, "__spec__", None)]; \
    prefixes = (sys.prefix + "/", sys.base_prefix + "/"); \
    files = sorted({s.origin for s in specs if s.has_location and s.origin.endswith(".py") and s.origin.startswith(prefixes)}); \
    import compileall; \
    sys.exit(not all([compileall.compile_file(f, quiet=2) for f in files]))'
ENTRYPOINT ["applygate"]
