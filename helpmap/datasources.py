"""The site's directory sources: loaded, merged, refreshed on their interval, never lost.

Each configured source (a file or an http(s) URL, in our format or an importer's) is a
DataSource that remembers its last good copy in memory. When a refresh fails (a timeout, a
server error, a page of HTML where a CSV should be) the last good copy stays in use and the
source says why it is stale. A Catalog merges the sources and counts versions, so callers
can rebuild what depends on the data (the search index) only when the data changed.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import directory, directory_cache
from .config import SourceSettings
from .directory import Directory
from .report import LoadReport, Rejection
from .sources import SourceError, is_url, read_bytes

log = logging.getLogger("helpmap.datasources")
DEFAULT_TIMEOUT_S = 15.0
RETRY_AFTER_FAILURE_S = 5 * 60
# Downloads only: a published spreadsheet is a few MB, 50 MB is a broken export. Local files
# keep the loader's own, larger limit (a national directory can be 150 MB).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def display_name(location: str) -> str:
    """A short name for notes on the page: no query string (it may hold an access key)."""
    if is_url(location):
        parts = urllib.parse.urlsplit(location)
        tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
        return f"{parts.netloc}/…/{tail}" if tail else parts.netloc
    return Path(location).name or location


@dataclass(frozen=True)
class SourceStatus:
    """What one source is serving, for the "data as of" line and the stale note."""

    name: str
    rows: int
    as_of: datetime | None  # when the copy in use was read (a local file: when it was last saved)
    checked_at: datetime | None  # the latest attempt, good or not
    error: str | None  # why the latest attempt failed; None when it succeeded

    @property
    def stale(self) -> bool:
        """A refresh failed and an older copy is being served."""
        return self.error is not None and self.as_of is not None


class DataSource:
    """One configured source and its last good copy."""

    def __init__(
        self,
        spec: SourceSettings,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_bytes: int = DEFAULT_MAX_BYTES,
        geocoder: directory.AddressGeocoder | None = directory.offline_address_geocoder,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spec = spec
        self.name = display_name(spec.location)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.geocoder = geocoder
        self.clock = clock
        self.good: Directory | None = None
        self.as_of: datetime | None = None
        self.checked_at: datetime | None = None
        self.error: str | None = None
        self._checked: float | None = None  # clock() of the latest attempt
        self._fingerprint: str | None = None  # of the bytes behind `good`, to skip unchanged data
        self._bytes: bytes | None = None  # a downloaded copy, between fingerprinting and parsing

    def due(self) -> bool:
        if self._checked is None:
            return True
        interval = self.spec.refresh_minutes * 60
        if self.error is not None:  # a failed attempt is retried sooner, even for "load once" sources
            interval = min(interval, RETRY_AFTER_FAILURE_S) if interval else RETRY_AFTER_FAILURE_S
        return interval > 0 and self.clock() - self._checked >= interval

    def refresh(self) -> bool:
        """Try to read the source now. True when the copy in use changed."""
        self._checked = self.clock()
        self.checked_at = datetime.now(timezone.utc)
        convert = _importer(self.spec.format)  # outside the try: a missing importer is our bug, not the feed's
        try:
            fingerprint, as_of = self._fingerprint_and_date()
            if self.good is not None and fingerprint == self._fingerprint:
                self.error = None  # unchanged: nothing to rebuild, but a download confirms it is current
                self.as_of = as_of or self.checked_at
                return False
            loaded = self._load_with_cache(fingerprint, convert)
        except SourceError as error:
            self.error = self._hide_location(str(error))
            return False
        except Exception as error:  # noqa: BLE001 - a broken feed must not cost the last good copy
            self.error = self._hide_location(f"it could not be read as {self.spec.format} data ({error})")
            return False
        finally:
            self._bytes = None  # the parsed frame is what is kept
        if loaded.report.fatal or len(loaded) == 0:
            self.error = self._hide_location(loaded.report.fatal or "no row could be used")
            return False
        self.good, self._fingerprint, self.error = loaded, fingerprint, None
        self.as_of = as_of or self.checked_at
        self.good.loaded_at = self.as_of
        return True

    def status(self) -> SourceStatus:
        rows = len(self.good) if self.good is not None else 0
        return SourceStatus(self.name, rows, self.as_of, self.checked_at, self.error)

    # -- reading --

    def _fingerprint_and_date(self) -> tuple[str, datetime | None]:
        """A cheap identity for local files (size and time saved); a hash of the bytes for URLs."""
        location = self.spec.location
        if is_url(location):
            self._bytes = read_bytes(_download_url(self.spec), timeout=self.timeout, max_bytes=self.max_bytes)
            return hashlib.sha256(self._bytes).hexdigest(), None
        self._bytes = None
        path = Path(location)
        if not path.exists():
            raise SourceError(f"There is no file at {path}.")
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        stats = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
        saved = max((s[2] for s in stats), default=0) / 1e9
        return repr(stats), datetime.fromtimestamp(saved, timezone.utc)

    def _load_with_cache(self, fingerprint: str, convert: Callable | None) -> Directory:
        """The parsed copy from the binary cache when these exact bytes were validated before
        by this exact code; otherwise parse, validate, and keep a copy for the next start."""
        placed = "no-geocoder" if self.geocoder is None else getattr(self.geocoder, "__qualname__", "geocoder")
        # the importer's options (a site's taxonomy mapping, as_of ...) change the result too
        cache_key = directory_cache.key(f"{fingerprint}|{placed}|{self.spec.options!r}", self.spec.format)
        cached = directory_cache.load(cache_key, self.spec.location)
        if cached is not None:
            return cached
        loaded = self._load(convert)
        # Served rows in latitude order (no place last), the search index's order: sorted once
        # here and kept so by the cache, a restart needs no copy of every column to index them.
        loaded.frame = directory.compact(
            loaded.frame.sort_values("latitude", kind="stable", na_position="last").reset_index(drop=True)
        )
        directory_cache.store(cache_key, loaded)
        return loaded

    def _load(self, convert: Callable | None) -> Directory:
        if convert is None:
            data = self._bytes if self._bytes is not None else read_bytes(self.spec.location)
            report = LoadReport()
            frame = directory.parse(data, report, geocoder=self.geocoder)
            return Directory(frame, report, self.spec.location)
        return self._import(convert)

    def _import(self, convert: Callable) -> Directory:
        """Another format: the importer maps it onto our schema, then our loader validates it
        exactly as it would the CSV that `python -m helpmap import` writes."""
        options = self.spec.import_options
        if self._bytes is None:
            result = convert(self.spec.location, **options)
        else:  # importers read files: a downloaded copy goes to a temporary one
            suffix = ".json" if self._bytes.lstrip()[:1] in (b"{", b"[") else ".csv"
            with tempfile.TemporaryDirectory(prefix="helpmap-") as folder:
                copy = Path(folder) / f"source{suffix}"
                copy.write_bytes(self._bytes)
                result = convert(str(copy), **options)
        report = LoadReport(rejected=list(result.report.rejected), warnings=list(result.report.warnings))
        if result.report.fatal:
            report.fatal = result.report.fatal
            return Directory(directory.empty_frame(), report, self.spec.location)
        checked = LoadReport()
        frame = directory.parse(result.frame.to_csv(index=False).encode("utf-8"), checked, geocoder=self.geocoder)
        report.fatal = checked.fatal
        report.loaded = checked.loaded
        report.rejected += [Rejection(0, f"after import, {r}") for r in checked.rejected]
        report.warnings += checked.warnings
        return Directory(frame, report, self.spec.location)

    def _hide_location(self, message: str) -> str:
        return message.replace(self.spec.location, self.name)


def _download_url(spec) -> str:
    """What to download for a source: a BMLT root server's URL becomes its meeting query."""
    if spec.format == "bmlt":
        from .importers.bmlt import search_url

        return search_url(spec.location)
    return spec.location


def _importer(fmt: str) -> Callable | None:
    """The importer for a format; None for our own CSV format."""
    if fmt == "helpmap":
        return None
    from .importers import FORMATS

    return FORMATS[fmt]


@dataclass(frozen=True)
class Snapshot:
    """The merged directory and its version; the version changes whenever the data does."""

    directory: Directory
    version: int
    catalog: str = ""  # which catalog it came from, so (catalog, version) is unique in a process

    @property
    def key(self) -> str:
        return f"{self.catalog}:{self.version}"


class Catalog:
    """Every configured source, merged. Thread-safe: one process serves many sessions."""

    def __init__(self, specs: Sequence[SourceSettings], **source_options) -> None:
        self.sources = [DataSource(spec, **source_options) for spec in specs]
        self._lock = threading.Lock()  # one refresh at a time
        self.token = uuid.uuid4().hex
        self._snapshot = Snapshot(_merge(self.sources), 0, self.token)

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def directory(self) -> Directory:
        return self._snapshot.directory

    @property
    def version(self) -> int:
        return self._snapshot.version

    def due(self) -> bool:
        return any(source.due() for source in self.sources)

    def refresh(self) -> bool:
        """Refresh every source that is due. True when the merged data changed."""
        with self._lock:
            changed = False
            for source in self.sources:
                if source.due():
                    changed |= source.refresh()
                    if source.error:  # for whoever runs the site; visitors get a plain sentence
                        log.warning("data source %s: %s", source.name, source.error)
            # With no usable data the (empty) merge is redone, so its reasons stay current.
            if changed or self._snapshot.version == 0 or not any(s.good for s in self.sources):
                self._snapshot = Snapshot(_merge(self.sources), self._snapshot.version + 1, self.token)
            return changed

    def refresh_if_due(self, *, background: bool = False) -> None:
        """Cheap when nothing is due. In the background, visitors keep the current data until
        the new copy is ready; the first load always waits, as there is nothing to show yet."""
        if not self.due():
            return
        if not background or self._snapshot.version == 0:
            self.refresh()
            return
        if self._lock.locked():  # a refresh is already running
            return
        threading.Thread(target=self.refresh, name="helpmap-refresh", daemon=True).start()

    def statuses(self) -> list[SourceStatus]:
        return [source.status() for source in self.sources]

    @property
    def as_of(self) -> datetime | None:
        """The oldest copy in use: the whole directory is at least this fresh."""
        dates = [s.as_of for s in self.statuses() if s.as_of is not None]
        return min(dates) if dates else None


def _merge(sources: Sequence[DataSource]) -> Directory:
    """One Directory from every source's copy in use. It is unusable only when no source has data."""
    usable = [s for s in sources if s.good is not None]
    report = LoadReport()
    several = len(sources) > 1
    for source in sources:
        prefix = f"{source.name}: " if several else ""
        if source.good is not None:
            report.loaded += source.good.report.loaded
            report.rejected += [Rejection(r.line, prefix + r.reason) for r in source.good.report.rejected]
            report.warnings += [prefix + w for w in source.good.report.warnings]
    if not usable:
        reasons = [f"{s.name}: {s.error}" if several else str(s.error) for s in sources if s.error]
        report.fatal = "; ".join(reasons) or "No data source is configured."
        return Directory(directory.empty_frame(), report, ", ".join(s.spec.location for s in sources))
    # Sources' categoricals with different values concatenate as text: compact the whole again.
    frame = directory.compact(_unique_ids([s.good.frame for s in usable], [s.name for s in usable], report))
    as_of = min(s.as_of for s in usable if s.as_of is not None)
    return Directory(frame, report, ", ".join(s.spec.location for s in usable), as_of)


def _unique_ids(frames: list[pd.DataFrame], names: list[str], report: LoadReport) -> pd.DataFrame:
    """Ids must be unique across sources (share links and referrals use them). A clash keeps the
    first source's id and gives the later row a suffix, with a warning."""
    if len(frames) == 1:
        return frames[0]
    seen: set[str] = set()
    renamed = []
    for number, (frame, name) in enumerate(zip(frames, names), start=1):
        clash = frame["id"].isin(seen)
        if clash.any():
            frame = frame.copy()
            frame.loc[clash, "id"] = frame.loc[clash, "id"] + f"~{number}"
            report.warn(f"{name}: {int(clash.sum())} ids were already used by another source; they got the suffix ~{number}.")
        seen.update(frame["id"])
        renamed.append(frame)
    return pd.concat(renamed, ignore_index=True)
