"""A binary copy of a parsed, validated directory, so a restart does not validate it again.

Validating a million rows takes about 20 s; reading them back from Feather (Arrow's file
format, through pyarrow, which Streamlit already depends on) takes a second or two. The copy is
keyed by the source's fingerprint (a file's path, size and save time, or a download's hash),
its format, and a digest of HelpMap's own code, so any change to the data or to the rules that
validated it makes a new copy. A copy that cannot be read is ignored and rebuilt.

Only directory data is kept here (never anything a visitor typed). The folder is
HELPMAP_CACHE_DIR, else $XDG_CACHE_HOME/helpmap or ~/.cache/helpmap; HELPMAP_CACHE_DIR=off
turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .directory import Directory
from .report import LoadReport, Rejection

FORMAT_VERSION = "2"  # 2: low-cardinality columns stored as dictionaries (categoricals)
KEEP_COPIES = 8  # the newest copies kept; older ones (earlier data or code) are deleted


def folder() -> Path | None:
    setting = os.environ.get("HELPMAP_CACHE_DIR", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "helpmap"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """HelpMap's own source: a new rule in the loader or an importer makes a new copy."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(fingerprint: str, data_format: str) -> str:
    return hashlib.sha256(f"{code_digest()}|{data_format}|{fingerprint}".encode()).hexdigest()[:32]


def load(cache_key: str, source: str) -> Directory | None:
    where = folder()
    if where is None:
        return None
    table, meta = where / f"{cache_key}.feather", where / f"{cache_key}.json"
    try:
        frame = pd.read_feather(table)
        saved = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, ImportError):
        return None
    report = LoadReport(
        loaded=saved["loaded"],
        rejected=[Rejection(line, reason) for line, reason in saved["rejected"]],
        warnings=list(saved["warnings"]),
    )
    return Directory(frame, report, source)


def store(cache_key: str, directory: Directory) -> None:
    """Write the copy (atomically: a reader never sees half a file). Failing to is not an error."""
    where = folder()
    if where is None or directory.report.fatal:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        meta = {
            "loaded": directory.report.loaded,
            "rejected": [[r.line, r.reason] for r in directory.report.rejected],
            "warnings": directory.report.warnings,
        }
        _atomic_write(where / f"{cache_key}.json", json.dumps(meta).encode("utf-8"))
        with tempfile.NamedTemporaryFile(dir=where, suffix=".tmp", delete=False) as handle:
            temporary = Path(handle.name)
        directory.frame.reset_index(drop=True).to_feather(temporary)
        temporary.replace(where / f"{cache_key}.feather")
        _prune(where)
    except (OSError, ValueError, ImportError, TypeError):
        return


def _prune(where: Path) -> None:
    copies = sorted(where.glob("*.feather"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in copies[KEEP_COPIES:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
        handle.write(data)
    Path(handle.name).replace(path)
