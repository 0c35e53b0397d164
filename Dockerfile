# syntax=docker/dockerfile:1
# The applygate action image: a wheel built and installed in one stage, copied into a slim runtime
# that has no build tools, no pip cache and no wheel files; what applygate never runs is then
# deleted and the result flattened into one layer, so that deleting shrinks what a job downloads.
# GitHub runs Docker actions as root.
ARG BASE_IMAGE=python:3.12-slim-bookworm

FROM ${BASE_IMAGE} AS build
WORKDIR /src
# The dependencies and the build backend exactly as setup/requirements.lock pins them, by hash: the
# image runs the versions `applygate/applygate/setup` installs on the runner, and nothing unpinned
# is fetched to build it. Downloaded once; the backend goes into a build venv, everything into
# /install, laid out like /usr/local (bin/, lib/pythonX.Y/; the runtime stage deletes setuptools).
# Bytecode for these is compiled here (pip's default); the runtime stage compiles the stdlib modules.
COPY setup/requirements.lock ./
RUN python -m pip download --no-cache-dir --require-hashes --no-deps --only-binary=:all: \
        --dest /wheels -r requirements.lock \
    && python -m venv /build \
    && /build/bin/pip install --no-cache-dir --no-index --find-links /wheels --require-hashes \
        --no-deps -r requirements.lock \
    && python -m pip install --no-cache-dir --no-warn-script-location --no-index \
        --find-links /wheels --require-hashes --no-deps --prefix /install -r requirements.lock
COPY pyproject.toml README.md ./
COPY src ./src
RUN /build/bin/pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /dist . \
    && python -m pip install --no-cache-dir --no-warn-script-location --no-index --no-deps \
        --prefix /install /dist/*.whl

FROM ${BASE_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
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
# What applygate never runs: pip, setuptools and their launchers, ensurepip and the wheels it
# installs, IDLE, tkinter, turtle, lib2to3, the test packages of the standard library and of
# site-packages, C headers, the standard library's bytecode (the next step compiles what applygate
# imports; python:slim ships none), and the caches and logs of the base's own installs. `git`, the
# interpreter and every module the commands import stay (the container test runs each command and
# every git command applygate runs inside the image, benchmarks/container.md has the sizes).
RUN stdlib="$(python -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')" \
    && for lib in "$stdlib" $(python -c 'import site; print(*site.getsitepackages())'); do \
        rm -rf "$lib/ensurepip" "$lib/idlelib" "$lib/tkinter" "$lib/turtledemo" "$lib/turtle.py" \
            "$lib/lib2to3" "$lib/pip" "$lib"/pip-*.dist-info "$lib/setuptools" \
            "$lib"/setuptools-*.dist-info "$lib/pkg_resources" "$lib/_distutils_hack" \
            "$lib/distutils-precedence.pth" \
        && find "$lib" -depth -type d \( -name test -o -name tests -o -name idle_test \) \
            -exec rm -rf {} + ; \
    done \
    && find "$stdlib" -path "$stdlib/site-packages" -prune -o -type d -name __pycache__ -prune \
        -exec rm -rf {} + \
    && rm -rf /usr/local/bin/pip* /usr/local/bin/idle* /usr/local/bin/2to3* /usr/local/bin/pydoc* \
        /usr/local/include/python3* /usr/share/python-wheels /root/.cache /tmp/* \
        /var/cache/debconf/*-old /var/lib/dpkg/*-old /var/log/*.log \
    && git --version && applygate --version
# The official python:slim deletes the standard library's .pyc files (the step above does too, so the
# stand-in base of the container test is alike), and PYTHONDONTWRITEBYTECODE
# keeps Python from writing them, so each start would compile again every module it imports
# (simulated: `applygate --version` 0.1 s -> 0.35 s; benchmarks/container.md). Compile those
# modules only (~4 MB; the whole library would be 12-15 MB): import every applygate module and
# what its functions import when they run (`lazy`, kept by tests/test_dockerfile.py), then compile
# each module loaded from a .py file under the interpreter's prefixes. compile_file skips a .pyc
# that is up to date, so where the bytecode exists (our wheels') nothing is written.
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

# One layer: files deleted above are gone from what a job downloads, not hidden by a later layer.
# The base's layers are not shared with anything on a hosted runner (it has no python:slim cached).
FROM scratch
# Copying the whole tree is the point here (DL3067 warns against it for other reasons).
# hadolint ignore=DL3067
COPY --from=runtime / /
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
ENTRYPOINT ["applygate"]
