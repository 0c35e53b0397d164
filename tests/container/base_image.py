"""A stand-in for the official ``python:*-slim`` image, made from Debian packages and cached.

Our machines have no Docker engine and no registry for base images, so the container test builds
its base with debootstrap: a minimal Debian bookworm with Debian's Python, and a venv at
``/usr/local`` so ``python`` and ``pip`` live in ``/usr/local/bin`` as in the official image. The
root filesystem is cached as a tar named by a hash of the recipe; buildah has no ``import``, so
the tar is copied into a ``scratch`` container and committed as a local image.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUITE = "bookworm"
PACKAGES = ("python3", "python3-venv", "ca-certificates")
MIRROR = os.environ.get("APPLYGATE_DEBIAN_MIRROR", "http://deb.debian.org/debian")
CACHE = Path(os.environ.get("APPLYGATE_CI_CACHE", "/var/cache/applygate-ci"))
# Where the test base keeps the host's CA bundle: registries are reached through TLS interception.
CA_IN_IMAGE = "/etc/ssl/certs/host-ca-bundle.pem"
PATH = "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
DEBOOTSTRAP = ("--variant=minbase", f"--include={','.join(PACKAGES)}")
# What debian:bookworm-slim (the official image's base) leaves out, for a like-for-like size.
SLIM_EXCLUDES = (
    "path-exclude /usr/share/doc/*",
    "path-include /usr/share/doc/*/copyright",
    "path-exclude /usr/share/man/*",
    "path-exclude /usr/share/groff/*",
    "path-exclude /usr/share/info/*",
    "path-exclude /usr/share/lintian/*",
    "path-exclude /usr/share/linda/*",
    "path-exclude /usr/share/locale/*",
)
# debian:slim's apt settings: no package caches left in an image (/var/cache/apt/*.bin is ~70 MB).
APT_CLEAN = """\
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
"""
RECIPE = {
    "debootstrap": [*DEBOOTSTRAP, SUITE],
    "after": ["python3 -m venv /usr/local", "slim excludes", "clean apt caches and lists"],
    "excludes": SLIM_EXCLUDES,
    "apt": APT_CLEAN,
    "version": 3,
}


def recipe_hash() -> str:
    return hashlib.sha256(json.dumps(RECIPE, sort_keys=True).encode()).hexdigest()[:12]


def run(*argv: str, capture: bool = False) -> str:
    done = subprocess.run(argv, check=True, text=True, capture_output=capture)
    return done.stdout.strip() if capture else ""


def cached_tar() -> Path:
    """The base root filesystem as a tar, made with debootstrap when missing (about a minute)."""
    tar = CACHE / f"base-{recipe_hash()}.tar"
    if tar.exists():
        return tar
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        root = Path(scratch) / "root"
        run("debootstrap", *DEBOOTSTRAP, SUITE, str(root), MIRROR)
        run("chroot", str(root), "python3", "-m", "venv", "/usr/local")
        slim(root)
        partial = tar.with_suffix(".partial")
        run("tar", "-C", str(root), "--numeric-owner", "-cf", str(partial), ".")
        partial.rename(tar)  # only a complete tar is ever found by the next run
    for stale in CACHE.glob("base-*.tar"):
        if stale != tar:
            stale.unlink()  # an older recipe's
    return tar


def slim(root: Path) -> None:
    """Drop docs, man pages, locales and apt's downloads, and keep them out of later installs."""
    (root / "etc/dpkg/dpkg.cfg.d/docker").write_text("\n".join(SLIM_EXCLUDES) + "\n")
    (root / "etc/apt/apt.conf.d/docker-clean").write_text(APT_CLEAN)
    for folder in ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale"):
        for item in (root / folder).glob("*"):
            if item.is_dir() and not item.is_symlink():
                keep = (item / "copyright").read_bytes() if (item / "copyright").is_file() else None
                shutil.rmtree(item)
                if keep is not None and folder == "usr/share/doc":
                    item.mkdir()
                    (item / "copyright").write_bytes(keep)
            else:
                item.unlink()
    for junk in ("var/cache/apt", "var/cache/apt/archives", "var/lib/apt/lists"):
        for item in (root / junk).glob("*"):
            if item.is_file():
                item.unlink()


def image_exists(name: str) -> bool:
    found = subprocess.run(["buildah", "images", "-q", name], capture_output=True, text=True)
    return found.returncode == 0 and bool(found.stdout.strip())


def forget_other_bases(keep: str) -> None:
    """Untag the bases an older recipe or CA bundle made (their layers go with their last user)."""
    repository = keep.rsplit(":", 1)[0]
    listed = subprocess.run(
        ["buildah", "images", "--format", "{{.Name}}:{{.Tag}}"],
        capture_output=True,
        text=True,
    )
    for name in listed.stdout.split():
        if name.startswith(f"{repository}:") and name != keep:
            subprocess.run(["buildah", "rmi", name], capture_output=True, check=False)


def base_image(ca_bundle: str | None) -> str:
    """The local image name of the base, imported from the cached tar when not already there."""
    ca_hash = hashlib.sha256(Path(ca_bundle).read_bytes()).hexdigest()[:8] if ca_bundle else "noca"
    name = f"localhost/applygate-test-base:{recipe_hash()}-{ca_hash}"
    if image_exists(name):
        return name
    tar = cached_tar()
    container = run("buildah", "from", "scratch", capture=True)
    try:
        mount = Path(run("buildah", "mount", container, capture=True))
        run("tar", "-C", str(mount), "--numeric-owner", "-xf", str(tar))
        env = ["--env", f"PATH={PATH}", "--env", "LANG=C.UTF-8"]
        if ca_bundle:
            shutil.copyfile(ca_bundle, mount / CA_IN_IMAGE.lstrip("/"))
            env += ["--env", f"PIP_CERT={CA_IN_IMAGE}"]
        run("buildah", "umount", container)
        run("buildah", "config", *env, "--cmd", "python3", container)
        run("buildah", "commit", "-q", container, name, capture=True)
    finally:
        subprocess.run(["buildah", "rm", container], capture_output=True, check=False)
    forget_other_bases(name)
    return name
