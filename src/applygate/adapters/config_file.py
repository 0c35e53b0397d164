"""Reading a configuration file an input names (criteria, lint rules): a regular file of UTF-8
text of bounded size, or a usage error naming the input. A FIFO would block the read for ever
and /dev/zero would fill the memory: neither is read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from applygate.errors import UsageError

MAX_CONFIG_BYTES = 1024 * 1024  # a criteria or rules file is a few kilobytes


def read_config(path: Path, label: str, limit: int = MAX_CONFIG_BYTES) -> str:
    """The text of ``path``; ``label`` (``input criteria: verify.yml``) names it in errors."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # O_NONBLOCK: opening a FIFO never waits
    except OSError as error:
        raise UsageError(f"{label} cannot be read ({error.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{label} cannot be read (not a regular file)")
        if info.st_size > limit:
            raise UsageError(f"{label} cannot be read (larger than {limit // 1024} KiB)")
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(limit + 1)
    except OSError as error:
        raise UsageError(f"{label} cannot be read ({error.strerror})") from None
    finally:
        if fd != -1:
            os.close(fd)
    if len(data) > limit:
        raise UsageError(f"{label} cannot be read (larger than {limit // 1024} KiB)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{label} cannot be read ({error})") from None
