"""Read a data file's bytes from a path or an http(s) URL, and turn them into text.

Kept apart from parsing so the loader, the importers and the site's refreshing data sources
all read files the same way: with a total deadline, a size cap, a complete-body check, and honest reporting of encodings.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .fetch import FetchError, fetch

DEFAULT_TIMEOUT_S = 15.0
DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # for downloads; a 1,000,000-row directory is about 230 MB
MAX_LOCAL_BYTES = 1024 * 1024 * 1024  # local files: four times the largest directory measured
USER_AGENT = "HelpMap/0.1 (directory loader)"


class SourceError(Exception):
    """The file could not be read at all. The message is for the person running the site."""


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def read_bytes(
    source: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_bytes: int | None = None,
) -> bytes:
    """A download is capped at DEFAULT_MAX_BYTES unless given, a local file at MAX_LOCAL_BYTES.
    Only regular files are read: a device such as /dev/zero or a pipe never ends."""
    if is_url(source):
        return _fetch(str(source), timeout, max_bytes or DEFAULT_MAX_BYTES)
    path = Path(source)
    if not path.exists():
        raise SourceError(f"There is no file at {path}.")
    if path.is_dir():
        raise SourceError(f"{path} is a folder, not a file.")
    if not path.is_file():
        raise SourceError(f"{path} is not a regular file (a device or a pipe?), so it cannot be a directory.")
    limit = max_bytes if max_bytes is not None else MAX_LOCAL_BYTES
    size = path.stat().st_size
    if size > limit:
        raise SourceError(f"{path} is {size:,} bytes; the limit is {limit:,}.")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)  # the file may grow while it is read
    if len(data) > limit:
        raise SourceError(f"{path} is larger than the limit of {limit:,} bytes.")
    return data


def _fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    """`timeout` is the whole download's deadline, not a per-read one (see helpmap.fetch)."""
    try:
        return fetch(url, deadline_s=timeout, max_bytes=max_bytes, headers={"User-Agent": USER_AGENT})
    except FetchError as error:
        raise SourceError(str(error)) from None


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Return the text and a warning when it was not plain UTF-8.

    UTF-8 (with or without a byte-order mark) is read silently; UTF-16 with a BOM (what
    spreadsheets call "Unicode text") is read too. Anything else is read as Windows-1252,
    the usual encoding of older Western spreadsheets, which never fails, with a warning.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    warning = (
        "The file is not UTF-8; it was read as Windows-1252 (Western European). "
        "Check that accented letters look right, or save the file as UTF-8."
    )
    try:
        return data.decode("cp1252"), warning
    except UnicodeDecodeError:  # a few bytes are undefined in cp1252; latin-1 maps every byte
        return data.decode("latin-1"), warning
