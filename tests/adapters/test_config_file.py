"""Configuration files an input names: read only when they are regular UTF-8 files of bounded
size, so that a FIFO, a device or a huge file is a usage error instead of a hang or an OOM."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from applygate.adapters.config_file import read_config
from applygate.errors import UsageError

LABEL = "input criteria: verify.yml"


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "verify.yml"
    path.write_text("version: 1\n")
    assert read_config(path, LABEL) == "version: 1\n"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "verify.yml"
    os.mkfifo(fifo)
    outcome: list[BaseException | str] = []

    def read() -> None:
        try:
            outcome.append(read_config(fifo, LABEL))
        except UsageError as error:
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    (error,) = outcome
    assert str(error) == f"{LABEL} cannot be read (not a regular file)"


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("/dev/zero", "not a regular file"),
        ("/nonexistent/verify.yml", "No such file or directory"),
    ],
)
def test_what_is_no_regular_file_is_refused(name: str, says: str) -> None:
    with pytest.raises(UsageError, match=f"^{LABEL} cannot be read \\({says}\\)$"):
        read_config(Path(name), LABEL)


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "verify.yml"
    path.write_bytes(b"#" * 2049)
    with pytest.raises(UsageError, match=r"larger than 2 KiB"):
        read_config(path, LABEL, limit=2048)


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "verify.yml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(UsageError, match=r"cannot be read \('utf-8' codec can't decode"):
        read_config(path, LABEL)
