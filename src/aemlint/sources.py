"""Reading input files: bytes to text, or an AEM002 problem saying why not.

Files over 10 MiB are not read whole; binary content (a NUL byte) and text that does not decode
in the format's encoding are reported with the position of the first offending byte.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from aemlint.parsing.text import LineIndex
from aemlint.parsing.values import Problem
from aemlint.types import Span

MAX_BYTES = 10 * 1024 * 1024


def encoding_of(path: PurePosixPath) -> str:
    """The encoding an input at ``path`` is read and written with: a Java-properties ``.cfg``
    configuration is ISO-8859-1 (``Properties.load``), everything else UTF-8."""
    return "iso-8859-1" if path.name.endswith(".cfg") else "utf-8"


@dataclass(frozen=True, slots=True)
class Unreadable:
    problem: Problem


def _at_byte(data: bytes, offset: int, encoding: str) -> Span:
    prefix = data[:offset].decode(encoding, errors="replace")
    index = LineIndex(prefix)
    line, column = index.position(len(prefix))
    return Span(line, column, line, column + 1, len(prefix), len(prefix) + 1)


def decode(data: bytes, encoding: str = "utf-8") -> str | Unreadable:
    """Decode file content, keeping line endings; binary or undecodable content is AEM002."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return Unreadable(
            Problem("AEM002", "binary content (a NUL byte): skipped", _at_byte(data, nul, encoding))
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        return Unreadable(
            Problem(
                "AEM002",
                f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x}): skipped; "
                f"save the file as {encoding.upper()}",
                _at_byte(data, exc.start, encoding),
            )
        )


def read_text(path: Path | str, encoding: str = "utf-8") -> str | Unreadable:
    """Read a whole input file as text, or say why it cannot be read."""
    return read_text_and_stat(path, encoding)[1]


def read_text_and_stat(
    path: Path | str, encoding: str = "utf-8"
) -> tuple[os.stat_result | None, str | Unreadable]:
    """:func:`read_text`, with the file's stat taken before anything is read (on the open
    file: no second look-up of the path), or None when the file does not exist."""
    st: os.stat_result | None = None
    try:
        # Plain descriptors, no buffered file object: one small file is open, fstat, one read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            st = os.fstat(fd)
            size = st.st_size
            if size > MAX_BYTES:
                return st, Unreadable(
                    Problem("AEM002", f"larger than 10 MiB ({size} bytes): not read, skipped", None)
                )
            # Read what fstat announced (asking for MAX_BYTES at once allocates 10 MiB per
            # file); a file that grew since then is read on, up to the same limit.
            data = os.read(fd, size + 1)
            while size < len(data) <= MAX_BYTES:
                more = os.read(fd, MAX_BYTES + 1 - len(data))
                if not more:
                    break
                data += more
        finally:
            os.close(fd)
    except OSError as exc:
        if st is None:  # it may exist, yet not open
            st = _stat_or_none(path)
        return st, Unreadable(Problem("AEM002", f"cannot be read: {exc.strerror or exc}", None))
    if len(data) > MAX_BYTES:
        return st, Unreadable(Problem("AEM002", "larger than 10 MiB: not read, skipped", None))
    return st, decode(data, encoding)


def _stat_or_none(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None
