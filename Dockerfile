# syntax=docker/dockerfile:1
# The applygate action image: a wheel built and installed in one stage, copied into a slim runtime
# that has no build tools, no pip cache and no wheel files. GitHub runs Docker actions as root.
ARG BASE_IMAGE=python:3.12-slim-bookworm

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# Everything installed lands under /install, laid out like /usr/local (bin/, lib/pythonX.Y/).
# Bytecode is compiled here (pip's default), so the runtime starts without compiling anything.
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels . \
    && python -m pip install --no-cache-dir --no-warn-script-location --prefix /install /wheels/*.whl

FROM ${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# git for preflight and rollback. The runner mounts the workspace owned by another uid: applygate
# trusts it through its own environment, and the system setting covers git run by anything else.
# Debian's git is not pinned: the archive drops superseded versions, so a pin breaks the build.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/log/apt /var/log/dpkg.log \
    && git config --system --add safe.directory /github/workspace
COPY --from=build /install /usr/local
ENTRYPOINT ["applygate"]
