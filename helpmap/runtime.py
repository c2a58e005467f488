"""What one server process shares between its visitors: settings, the directory, its index.

Owned here, at module level, and not by Streamlit's caches: Streamlit clears every cache when
any client sends a `clear_cache` message, whatever the toolbar setting, so one anonymous
visitor could drop the directory and its last good copies while a source was down. Nothing a
client sends can reach these.

Everything is keyed by the configuration it came from (the HELPMAP_* variables and the config
file's text), so a process asked for another configuration (a test, a reload after the file
was fixed) builds afresh instead of serving the old one.
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TypeVar

from . import config, datasources, directory, search
from .geocode import GeocoderChain, build_geocoder, get_offline_geocoder

T = TypeVar("T")
_lock = threading.RLock()
_built: dict[str, dict[str, object]] = {}  # name -> {key: object}, newest last
_KEEP_PER_NAME = 2  # the current copy and the one before it (a refresh swaps keys)


def configuration_key(environ: Mapping[str, str] | None = None) -> str:
    """The HELPMAP_* variables and the config file's bytes: what the settings are made of."""
    env = os.environ if environ is None else environ
    parts = tuple(sorted((k, v) for k, v in env.items() if k.startswith("HELPMAP_")))
    path = env.get("HELPMAP_CONFIG")
    stamp: object = None
    if path:
        try:
            info = os.stat(path)
            stamp = (info.st_ino, info.st_size, info.st_mtime_ns)
        except OSError:
            stamp = "unreadable"
    return _key_for(parts, path, stamp)


@lru_cache(maxsize=64)
def _key_for(parts: tuple[tuple[str, str], ...], path: str | None, stamp: object) -> str:
    """Pages ask for the key many times a run: the file is hashed again only when its
    inode, size or modification time says it changed."""
    lines = [f"{k}={v}" for k, v in parts]
    if path:
        try:
            with open(path, "rb") as handle:
                lines.append(hashlib.sha256(handle.read(config.MAX_CONFIG_BYTES + 1)).hexdigest())
        except OSError:
            lines.append("unreadable")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _once(name: str, key: str, build: Callable[[], T]) -> T:
    """Build `name` for `key` once per process; a build that raises is not kept. Each name keeps
    its own few newest copies, so an index rebuilt on every refresh never pushes out the catalog."""
    with _lock:
        copies = _built.setdefault(name, {})
        if key not in copies:
            while len(copies) >= _KEEP_PER_NAME:
                copies.pop(next(iter(copies)))
            copies[key] = build()
        return copies[key]  # type: ignore[return-value]


def settings() -> config.Settings:
    """The site's settings. Raises ConfigError (not kept: the next call reads the file again)."""
    return _once("settings", configuration_key(), config.load_settings)


def site_settings() -> config.Settings:
    """The settings with units and help lines following the directory's country, where the site
    did not choose them (US data: miles and US help lines). Rebuilt when the data changes."""
    base, current = settings(), snapshot()
    return _once("site-settings", current.key, lambda: config.follow_data_country(base, current.directory.country))


def catalog() -> datasources.Catalog:
    """The data sources, loaded once; later calls refresh in the background when due."""
    key = configuration_key()

    def build() -> datasources.Catalog:
        sources = datasources.Catalog(settings().data_sources)
        sources.refresh()
        _freeze_long_lived_objects()
        return sources

    return _once("catalog", key, build)


def catalog_ready() -> bool:
    """Whether this configuration's data sources are loaded already (no wait ahead)."""
    return configuration_key() in _built.get("catalog", {})


def snapshot() -> datasources.Snapshot:
    sources = catalog()
    sources.refresh_if_due(background=True)
    return sources.snapshot


def loaded_directory() -> directory.Directory:
    return snapshot().directory


def search_index() -> search.SearchIndex:
    current = snapshot()
    return _once("index", current.key, lambda: search.SearchIndex(current.directory.frame))


def filter_choices() -> dict[str, list]:
    current = snapshot()
    return _once("choices", current.key, lambda: search.available_choices(current.directory.frame))


def data_status() -> list[datasources.SourceStatus]:
    return catalog().statuses()


def geocoder() -> GeocoderChain:
    # The site's country breaks ties between places of one name ("Keswick" on a British site):
    # the country the site chose, or the one country all its listings are in. Settings' default
    # country only picks help lines before a search, so mixed data gets no preference.
    def build() -> GeocoderChain:
        base = settings()
        home = base.country if "country" in base.chosen else loaded_directory().country
        return build_geocoder(base.geocoder.as_dict(), home_country=home)

    return _once("geocoder", configuration_key(), build)


def warm_geocoder() -> None:
    """Build the offline place index in the background once per process, so the first person
    to search does not wait about a second for it."""

    def start() -> bool:
        # The spelling index too (built after the town index), so a first misspelling is quick.
        threading.Thread(
            target=lambda: get_offline_geocoder().index.spelling(), name="warm-geocoder", daemon=True
        ).start()
        return True

    _once("warm-geocoder", "", start)


def _freeze_long_lived_objects() -> None:
    """Move the directory's objects out of the collector's sight: they live as long as the
    process, and a full collection would otherwise walk all of them after every page run."""
    gc.collect()
    gc.freeze()
