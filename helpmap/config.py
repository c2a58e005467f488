"""Site settings: what an organisation running HelpMap can change without touching code.

Settings come from, in order of precedence: environment variables (HELPMAP_DATA and friends),
then the site configuration file named by HELPMAP_CONFIG (TOML, documented in
examples/site.toml), then the defaults below, which serve the shipped US directory (SAMHSA's
treatment locator, 2021: data/us-samhsa-2021.csv) with offline geocoding. The demonstration
data (data/demo-directory.csv) is one HELPMAP_DATA away.

Units and the help lines' country follow the directory's country (`follow_data_country`) unless
the site chose them: US data gets miles and US help lines without any configuration.

A configuration file is checked as a whole: every problem is collected (unknown keys with the
closest valid one, wrong types, bad colours, missing files, unsafe addresses) so the person
editing it can fix them all in one go. `python -m helpmap check-config FILE` prints them.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import sys
import tomllib
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path

from .i18n import LANGUAGES
from .schema import KM_PER_MILE

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT / "data" / "us-samhsa-2021.csv"
DEMO_DATA = REPO_ROOT / "data" / "demo-directory.csv"
DEFAULT_HELPLINES = REPO_ROOT / "data" / "helplines.csv"

# The interface languages the app has: helpmap.i18n holds the list, which grows as translations land.
AVAILABLE_LANGUAGES = tuple(LANGUAGES)
UNITS = ("km", "mi")
SOURCE_FORMATS = ("helpmap", "samhsa", "meeting-guide", "bmlt", "hsds", "csv")
GEOCODER_PROVIDERS = ("offline", "nominatim", "photon", "pelias")
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
MAX_RADIUS_KM = 500.0  # the search form's own limit
# Where road distances are signed in miles; elsewhere kilometres.
MILE_COUNTRIES = frozenset({"US", "GB", "LR", "MM"})
DEFAULT_RADIUS_MILES = 25.0  # a radius that reads naturally when the units turn to miles


@dataclass(frozen=True)
class GeocoderSettings:
    provider: str = "offline"  # offline | nominatim | photon | pelias
    domain: str = ""
    scheme: str = "https"
    user_agent: str = ""
    timeout: float = 5.0

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


# The built-in base map's data: outlines from world-atlas and us-atlas (tools/vendor_map_assets.sh),
# town names from the offline geocoder's GeoNames table (CC BY 4.0 asks for the credit).
BUILTIN_MAP_ATTRIBUTION = "Natural Earth; US Census Bureau; GeoNames"


@dataclass(frozen=True)
class TileSettings:
    """The map's background. No url (the default) is the built-in offline base map, served by
    HelpMap itself: a tile server sees the area each visitor looks at, so a site opts in to one."""

    url: str = ""
    attribution: str = BUILTIN_MAP_ATTRIBUTION

    @property
    def builtin(self) -> bool:
        return not self.url


@dataclass(frozen=True)
class ThemeSettings:
    """Colours as validated #rrggbb text; empty means "keep Streamlit's own setting"."""

    primary: str = ""
    background: str = ""
    text: str = ""


@dataclass(frozen=True)
class SourceSettings:
    """One directory source: a file path or an http(s) URL, in our format or an importer's."""

    location: str
    format: str = "helpmap"  # helpmap | samhsa | meeting-guide | bmlt | hsds
    refresh_minutes: float = 60.0  # 0 = load once
    # The importer's options, as (name, value) pairs: timezone, as_of, mental_health, taxonomy, formats.
    options: tuple = ()

    @property
    def import_options(self) -> dict:
        """Keyword arguments for the importer (see helpmap.importers.FORMATS)."""
        names = {"timezone": "default_timezone"}
        return {names.get(key, key): dict(value) if isinstance(value, tuple) else value for key, value in self.options}

    def __str__(self) -> str:  # older callers treat a source as its location
        return self.location


@dataclass(frozen=True)
class Settings:
    title: str = "HelpMap"
    tagline: str = "Find help with ketamine and other drug use near you"
    # Plain strings are accepted (and turned into SourceSettings in our format).
    data_sources: tuple[SourceSettings, ...] = (SourceSettings(str(DEFAULT_DATA)),)
    helplines: str = str(DEFAULT_HELPLINES)
    country: str = "US"  # help lines shown before the searcher's country is known
    show_unchecked_helplines: bool = False  # also show CHECK_LIVE rows (not yet seen on an official page)
    units: str = "km"  # km | mi
    default_radius_km: float = 25.0
    default_place: str = ""  # a place name or "lat, lon"; the search starts there
    geocoder: GeocoderSettings = field(default_factory=GeocoderSettings)
    tiles: TileSettings = field(default_factory=TileSettings)
    report_problem_url: str = ""  # mailto: or https: address for "report a problem with this listing"
    quick_exit_url: str = "https://www.bbc.com/weather"
    directions_url: str = "https://www.openstreetmap.org/directions?to={lat}%2C{lon}"
    stale_after_days: int = 365
    logo: str = ""  # a local image file, shown with st.logo
    theme: ThemeSettings = field(default_factory=ThemeSettings)
    language: str = "en"
    config_file: str = ""  # the site configuration file these settings came from, if any
    # The settings the site chose (in its file or environment); the others may follow the data.
    chosen: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        sources = tuple(s if isinstance(s, SourceSettings) else SourceSettings(str(s)) for s in self.data_sources)
        object.__setattr__(self, "data_sources", sources)


class ConfigError(Exception):
    """The site configuration cannot be used. `problems` lists every reason, one line each."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


# --- the file's shape ----------------------------------------------------------------------
# Each table lists its keys and their expected type: the validator walks these, so a key added
# here is documented (examples/site.toml), checked and spell-suggested in one place.

TEXT, NUMBER, BOOLEAN, LIST_OF_TABLES = "text", "number", "true or false", "list of tables"
TABLE = "table"
MAX_CONFIG_BYTES = 1024 * 1024  # a site configuration is a few kilobytes
SHIPPED_DATA = REPO_ROOT / "data"  # files HelpMap ships may always be named
SCHEMA: dict[str, dict[str, str]] = {
    "site": {"title": TEXT, "tagline": TEXT, "logo": TEXT, "language": TEXT, "report_problem": TEXT,
             "quick_exit": TEXT, "allow_outside_paths": BOOLEAN},
    "theme": {"primary": TEXT, "background": TEXT, "text": TEXT},
    "area": {"centre": TEXT, "radius": NUMBER, "units": TEXT},
    "helplines": {"country": TEXT, "file": TEXT, "show_unchecked": BOOLEAN},
    "geocoder": {"provider": TEXT, "domain": TEXT, "scheme": TEXT, "user_agent": TEXT, "timeout": NUMBER},
    "tiles": {"url": TEXT, "attribution": TEXT},
}  # fmt: skip
SOURCE_KEYS = {"location": TEXT, "format": TEXT, "refresh_minutes": NUMBER,
               # importer options (issue 12): which formats read each, checked in source_options
               "timezone": TEXT, "as_of": TEXT, "mental_health": BOOLEAN, "taxonomy": TABLE, "formats": TEXT,
               "kind": TEXT}  # fmt: skip
SOURCE_OPTION_FORMATS = {"timezone": ("meeting-guide", "bmlt"), "as_of": ("samhsa",), "mental_health": ("samhsa",),
                         "taxonomy": ("hsds",), "formats": ("bmlt",), "kind": ("csv",)}  # fmt: skip
TOP_LEVEL = [*SCHEMA, "sources"]

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
LAT_LON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
DOMAIN = re.compile(r"^[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~/-]*)?$")


def _iso_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
        return True
    except ValueError:
        return False


def read_file(path: str | Path, base: Settings | None = None) -> Settings:
    """Settings from a site configuration file on top of `base`; ConfigError lists every problem."""
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(str(path), [f"the file is over {MAX_CONFIG_BYTES:,} bytes; a configuration is a few kilobytes"])
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), [f"there is no configuration file at {path}"]) from None
    except IsADirectoryError:
        raise ConfigError(str(path), [f"{path} is a folder, not a configuration file"]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), ["the file is not UTF-8 text; save it as UTF-8"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), [f"this is not valid TOML: {error}"]) from None
    except RecursionError:
        raise ConfigError(str(path), ["the file is nested too deeply to be a configuration"]) from None
    checker = _Checker(path.resolve().parent)
    settings = checker.settings(raw, base or Settings())
    if checker.problems:
        raise ConfigError(str(path), checker.problems)
    return replace(settings, config_file=str(path))


def check_file(path: str | Path) -> list[str]:
    """Every problem in the file; an empty list means it is valid."""
    try:
        read_file(path)
    except ConfigError as error:
        return error.problems
    return []


class _Checker:
    """Reads the raw TOML into Settings, collecting problems instead of stopping at the first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # relative paths in the file are relative to the file itself
        self.allow_outside_paths = False  # set from [site] before any path is read
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    # -- shape --

    def settings(self, raw: dict, base: Settings) -> Settings:
        for key in raw:
            if key not in TOP_LEVEL:
                self.problem("", f"unknown table [{key}]{_suggest(key, TOP_LEVEL)}")
        tables = {name: self.table(raw, name) for name in SCHEMA}
        self.allow_outside_paths = tables["site"].get("allow_outside_paths", False)
        updates: dict = {}
        updates.update(self.site(tables["site"]))
        updates.update(self.area(tables["area"], base))
        updates.update(self.helplines(tables["helplines"]))
        theme = self.theme(tables["theme"])
        if theme is not None:
            updates["theme"] = theme
        geocoder = self.geocoder(tables["geocoder"])
        if geocoder is not None:
            updates["geocoder"] = geocoder
        tiles = self.tiles(tables["tiles"])
        if tiles is not None:
            updates["tiles"] = tiles
        sources = self.sources(raw.get("sources"))
        if sources:
            updates["data_sources"] = sources
        settings = replace(base, **updates, chosen=base.chosen | frozenset(updates))
        if "default_place" in updates and settings.geocoder.provider == "offline":
            self.findable(settings.default_place)
        return settings

    def findable(self, place: str) -> None:
        """With offline geocoding, the centre must be a place the offline gazetteer knows;
        otherwise every visitor's first search would end in "we could not find that place"."""
        if LAT_LON.match(place):
            return
        from .geocode import GeocodeError, get_offline_geocoder  # the gazetteer loads in about 2 s

        try:
            get_offline_geocoder().geocode(place)
        except GeocodeError as error:
            hint = f" Did you mean {', '.join(repr(s) for s in error.suggestions[:3])}?" if error.suggestions else ""
            self.problem("[area] centre", f"'{place}' was not found by the offline geocoder.{hint}")

    def table(self, raw: dict, name: str) -> dict:
        """The table's values that have the right type; problems for the rest."""
        value = raw.get(name, {})
        if not isinstance(value, dict):
            self.problem("", f"[{name}] should be a table (a [{name}] heading), not {_type_name(value)}")
            return {}
        return self.typed(value, SCHEMA[name], f"[{name}]")

    def typed(self, table: dict, keys: dict[str, str], where: str) -> dict:
        good = {}
        for key, value in table.items():
            if key not in keys:
                self.problem("", f"unknown key '{key}' in {where}{_suggest(key, list(keys))}")
                continue
            expected = keys[key]
            if expected == TEXT and not isinstance(value, str):
                self.problem(f"{where} {key}", f"should be text in quotes, not {_type_name(value)}")
            elif expected == NUMBER and (isinstance(value, bool) or not isinstance(value, int | float)):
                self.problem(f"{where} {key}", f"should be a number, not {_type_name(value)}")
            elif expected == BOOLEAN and not isinstance(value, bool):
                self.problem(f"{where} {key}", f"should be true or false, not {_type_name(value)}")
            elif expected == NUMBER and not math.isfinite(value):
                self.problem(f"{where} {key}", "should be a finite number")
            elif expected == TABLE and not (
                isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
            ):
                self.problem(f"{where} {key}", 'should be a table of text, like [sources.taxonomy] "RX-8450" = "treatment"')
            else:
                good[key] = value.strip() if isinstance(value, str) else value
        return good

    # -- tables --

    def site(self, table: dict) -> dict:
        out = {}
        if "title" in table:
            if not table["title"] or len(table["title"]) > 80:
                self.problem("[site] title", "should be between 1 and 80 characters")
            else:
                out["title"] = table["title"]
        if "tagline" in table:
            out["tagline"] = table["tagline"]
        if table.get("logo"):
            logo = self.path("[site] logo", table["logo"], kind="image")
            if logo and logo.suffix.lower() not in LOGO_SUFFIXES:
                self.problem("[site] logo", f"{logo.name} is not an image ({', '.join(LOGO_SUFFIXES)})")
            elif logo:
                out["logo"] = str(logo)
        if "language" in table:
            if table["language"] not in AVAILABLE_LANGUAGES:
                self.problem(
                    "[site] language",
                    f"'{table['language']}' is not a language HelpMap has; use one of {', '.join(AVAILABLE_LANGUAGES)}",
                )
            else:
                out["language"] = table["language"]
        if "report_problem" in table:
            if self.url("[site] report_problem", table["report_problem"], ("mailto", "https")):
                out["report_problem_url"] = table["report_problem"]
        if "quick_exit" in table:
            if self.url("[site] quick_exit", table["quick_exit"], ("https", "http")):
                out["quick_exit_url"] = table["quick_exit"]
        return out

    def theme(self, table: dict) -> ThemeSettings | None:
        colours = {}
        for key, value in table.items():
            if HEX_COLOUR.match(value):
                colours[key] = _expand_hex(value)
            else:
                self.problem(f"[theme] {key}", f"'{value}' is not a colour; write it as #rrggbb, like #1f5fa8")
        if not colours:
            return None
        theme = ThemeSettings(**colours)
        # Contrast checks (WCAG 2.1 AA): many visitors read on a phone outdoors, some in distress.
        background = theme.background or "#ffffff"
        if theme.text and contrast_ratio(theme.text, background) < 4.5:
            self.problem(
                "[theme] text",
                f"{theme.text} on {background} has a contrast of {contrast_ratio(theme.text, background):.1f}:1; "
                "text needs at least 4.5:1 to be readable",
            )
        if theme.primary and contrast_ratio(theme.primary, "#ffffff") < 4.5:
            self.problem(
                "[theme] primary",
                f"white button text on {theme.primary} has a contrast of "
                f"{contrast_ratio(theme.primary, '#ffffff'):.1f}:1; it needs at least 4.5:1 (choose a darker colour)",
            )
        return theme

    def area(self, table: dict, base: Settings) -> dict:
        out = {}
        units = base.units
        if "units" in table:
            if table["units"] not in UNITS:
                self.problem("[area] units", f"'{table['units']}' is not one of {', '.join(UNITS)}")
            else:
                units = out["units"] = table["units"]
        if "radius" in table:
            radius = table["radius"]
            radius_km = radius * KM_PER_MILE if units == "mi" else radius
            if not 0 < radius_km <= MAX_RADIUS_KM:
                self.problem("[area] radius", f"{radius:g} {units} should be above 0 and at most {MAX_RADIUS_KM:g} km")
            else:
                out["default_radius_km"] = float(radius_km)
        if "centre" in table:
            centre = table["centre"]
            match = LAT_LON.match(centre)
            if not centre:
                self.problem("[area] centre", "is empty; give a place name or 'lat, lon', or leave it out")
            elif match and not (abs(float(match[1])) <= 90 and abs(float(match[2])) <= 180):
                self.problem("[area] centre", f"'{centre}' is not a latitude, longitude pair within -90..90, -180..180")
            else:
                out["default_place"] = centre
        return out

    def helplines(self, table: dict) -> dict:
        out = {}
        if "country" in table:
            if not COUNTRY_CODE.match(table["country"].upper()):
                self.problem("[helplines] country", f"'{table['country']}' is not a two-letter country code like GB or US")
            else:
                out["country"] = table["country"].upper()
        if table.get("file"):
            path = self.path("[helplines] file", table["file"])
            if path:
                out["helplines"] = str(path)
        if "show_unchecked" in table:
            out["show_unchecked_helplines"] = table["show_unchecked"]
        return out

    def geocoder(self, table: dict) -> GeocoderSettings | None:
        if not table:
            return None
        settings = GeocoderSettings()
        provider = table.get("provider", "offline")
        known = provider in GEOCODER_PROVIDERS
        if not known:
            self.problem(
                "[geocoder] provider",
                f"'{provider}' is not one of {', '.join(GEOCODER_PROVIDERS)}{_suggest(provider, GEOCODER_PROVIDERS)}",
            )
        scheme = table.get("scheme", "https")
        if scheme not in ("https", "http"):
            self.problem("[geocoder] scheme", f"'{scheme}' should be https or http")
        domain = table.get("domain", "")
        if domain and not DOMAIN.match(domain):
            self.problem("[geocoder] domain", f"'{domain}' should be a host name like nominatim.example.org, without https://")
        if provider == "pelias" and not domain:
            self.problem("[geocoder] domain", "Pelias has no public default: give the domain of your Pelias server")
        user_agent = table.get("user_agent", "")
        if known and provider != "offline" and not user_agent:
            self.problem(
                "[geocoder] user_agent",
                "an online geocoder needs a user agent that names your site and a contact, "
                "like 'helpmap-leeds (contact@example.org)'",
            )
        timeout = table.get("timeout", settings.timeout)
        if not 0 < timeout <= 60:
            self.problem("[geocoder] timeout", f"{timeout:g} seconds should be above 0 and at most 60")
        return GeocoderSettings(provider, domain, scheme, user_agent, float(timeout)) if known else None

    def tiles(self, table: dict) -> TileSettings | None:
        if not table:
            return None
        url = table.get("url", "")
        if not url:
            self.problem(
                "[tiles] url",
                "is missing; give the tile address with {z}, {x} and {y}, "
                "or leave out [tiles] for the built-in offline map",
            )
        elif self.url("[tiles] url", url, ("https", "http")) and not all(p in url for p in ("{z}", "{x}", "{y}")):
            self.problem("[tiles] url", "should contain {z}, {x} and {y}, like https://tile.example.org/{z}/{x}/{y}.png")
        attribution = table.get("attribution", "")
        if url and not attribution:
            self.problem("[tiles] attribution", "is required: tile providers ask to be credited on the map")
        elif not plain_attribution(attribution):
            self.problem(
                "[tiles] attribution",
                'may hold only plain text and plain links like <a href="https://example.org/">Example</a>',
            )
        return TileSettings(url, attribution)

    def sources(self, value) -> tuple[SourceSettings, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem("", f"sources should be written as [[sources]] tables, not {_type_name(value)}")
            return ()
        if not value:
            self.problem("", "[[sources]] is empty; list at least one data source")
        sources = []
        for number, entry in enumerate(value, start=1):
            where = f"[[sources]] #{number}"
            table = self.typed(entry, SOURCE_KEYS, where)
            source = self.source(table, where)
            if source:
                sources.append(source)
        return tuple(sources)

    def source(self, table: dict, where: str) -> SourceSettings | None:
        location = table.get("location", "")
        fmt = table.get("format", "helpmap")
        refresh = table.get("refresh_minutes", 60)
        good = True
        if fmt not in SOURCE_FORMATS:
            self.problem(f"{where} format", f"'{fmt}' is not one of {', '.join(SOURCE_FORMATS)}{_suggest(fmt, SOURCE_FORMATS)}")
            good = False
        if refresh < 0:
            self.problem(f"{where} refresh_minutes", "should be 0 (load once) or more")
            good = False
        if not location:
            self.problem(f"{where} location", "is missing; give a file path or an https:// address")
            return None
        scheme = urllib.parse.urlsplit(location).scheme.lower()
        if len(scheme) > 1:  # a scheme, not a Windows drive letter
            if not self.url(f"{where} location", location, ("https", "http")):
                return None
            if fmt == "hsds":
                self.problem(f"{where} location", "an HSDS data package is a folder of CSV files: give a local folder")
                return None
        else:
            path = self.path(f"{where} location", location, allow_folder=fmt == "hsds")
            if path is None:
                return None
            location = str(path)
        options = self.source_options(table, fmt, where)
        return SourceSettings(location, fmt, float(refresh), options) if good and options is not None else None

    def source_options(self, table: dict, fmt: str, where: str) -> tuple | None:
        """The importer options of one source, checked; None when one is wrong."""
        from .timezones import is_zone

        options, good = [], True
        for key, formats in SOURCE_OPTION_FORMATS.items():
            if key not in table:
                continue
            value = table[key]
            if fmt not in formats:
                self.problem(f"{where} {key}", f"is read only for format {' or '.join(formats)}")
                good = False
            elif key == "timezone" and not is_zone(value):
                self.problem(f"{where} timezone", f"'{value}' is not a time zone name like America/New_York")
                good = False
            elif key == "kind" and value not in ("treatment", "support_group", "harm_reduction", "helpline"):
                self.problem(f"{where} kind", f"'{value}' is not one of treatment, support_group, harm_reduction, helpline")
                good = False
            elif key == "as_of" and not _iso_date(value):
                self.problem(f"{where} as_of", f"'{value}' is not a date like 2021-10-13")
                good = False
            elif key == "taxonomy" and not self.taxonomy(value, where):
                good = False
            elif key == "formats" and not re.match(r"^https?://", value, re.IGNORECASE):
                path = self.path(f"{where} formats", value)  # a local GetFormats file, beside the config
                good = good and path is not None
                options.append((key, str(path)))
            else:
                options.append((key, tuple(value.items()) if isinstance(value, dict) else value))
        return tuple(options) if good else None

    def taxonomy(self, mapping: dict, where: str) -> bool:
        kinds = ("treatment", "support_group", "harm_reduction", "helpline", "out")
        bad = [f"'{k}' = '{v}'" for k, v in mapping.items() if v.split(";")[0].strip() not in kinds]
        if bad:
            self.problem(f"{where} taxonomy", f"each value starts with one of {', '.join(kinds)}; not {', '.join(bad[:3])}")
        return not bad

    # -- values --

    def path(self, where: str, value: str, *, kind: str = "file", allow_folder: bool = False) -> Path | None:
        path = Path(value).expanduser()
        path = (path if path.is_absolute() else self.folder / path).resolve()
        if not self.allow_outside_paths and not any(path.is_relative_to(p) for p in (self.folder, SHIPPED_DATA)):
            self.problem(
                where,
                f"{value} is outside the configuration file's folder; put the file beside the "
                "configuration, or set allow_outside_paths = true in [site] if you mean it",
            )
            return None
        if not path.exists():
            self.problem(where, f"there is no {kind} at {path}")
            return None
        if path.is_dir() and not allow_folder:
            self.problem(where, f"{path} is a folder, not a {kind}")
            return None
        return path

    def url(self, where: str, value: str, schemes: tuple[str, ...]) -> bool:
        parts = urllib.parse.urlsplit(value)
        scheme = parts.scheme.lower()
        if scheme not in schemes:
            shown = f"'{scheme}:'" if scheme else "no scheme"
            self.problem(where, f"'{value}' has {shown}; it should start with {' or '.join(s + ':' for s in schemes)}")
            return False
        if re.search(r"[\s<>\"'`]", value) or (scheme != "mailto" and not parts.netloc):
            self.problem(where, f"'{value}' is not a complete address")
            return False
        if scheme == "mailto" and "@" not in parts.path:
            self.problem(where, f"'{value}' has no email address after mailto:")
            return False
        return True


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


_PLAIN_LINK = re.compile(r"""<a\s+href\s*=\s*(["'])https?://[^"'<>\s]+\1\s*>[^<>]*</a>""", re.I)


def plain_attribution(text: str) -> bool:
    """Only text and plain http(s) links: the map shows an attribution as text, and a
    configuration that holds markup was probably pasted from somewhere it should not be."""
    rest = _PLAIN_LINK.sub("", text)
    return "<" not in rest and ">" not in rest


def _type_name(value) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a table"}
    return next((name for kind, name in names.items() if type(value) is kind), type(value).__name__)


def _expand_hex(colour: str) -> str:
    colour = colour.lower()
    return "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(_expand_hex(first)), luminance(_expand_hex(second))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- environment ---------------------------------------------------------------------------


def from_environment(base: Settings | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Apply HELPMAP_* environment variables on top of `base`."""
    env = os.environ if environ is None else environ
    settings = base or Settings()
    if env.get("HELPMAP_DATA"):
        settings = replace(settings, data_sources=(SourceSettings(env["HELPMAP_DATA"]),))
    if env.get("HELPMAP_COUNTRY"):
        settings = replace(settings, country=env["HELPMAP_COUNTRY"].upper(), chosen=settings.chosen | {"country"})
    if env.get("HELPMAP_UNITS") in UNITS:
        settings = replace(settings, units=env["HELPMAP_UNITS"], chosen=settings.chosen | {"units"})
    if env.get("HELPMAP_GEOCODER"):
        settings = replace(
            settings,
            geocoder=GeocoderSettings(
                provider=env["HELPMAP_GEOCODER"],
                domain=env.get("HELPMAP_GEOCODER_DOMAIN", ""),
                scheme=env.get("HELPMAP_GEOCODER_SCHEME", "https"),
                user_agent=env.get("HELPMAP_GEOCODER_USER_AGENT", ""),
            ),
        )
    if env.get("HELPMAP_TILES_URL"):
        settings = replace(
            settings,
            tiles=TileSettings(env["HELPMAP_TILES_URL"], env.get("HELPMAP_TILES_ATTRIBUTION", "Map tiles")),
        )
    return settings


def follow_data_country(settings: Settings, country: str | None) -> Settings:
    """Units and help lines for the directory's country, where the site did not choose them.

    `country` is the one country every listing is in (None for mixed or unknown data, which
    changes nothing). Miles bring a radius in whole miles unless the site set a radius."""
    if not country or not COUNTRY_CODE.match(country):
        return settings
    changes: dict = {}
    if "country" not in settings.chosen:
        changes["country"] = country
    if "units" not in settings.chosen:
        changes["units"] = "mi" if country in MILE_COUNTRIES else "km"
        if changes["units"] != settings.units and "default_radius_km" not in settings.chosen:
            changes["default_radius_km"] = DEFAULT_RADIUS_MILES * KM_PER_MILE if changes["units"] == "mi" else Settings().default_radius_km
    return replace(settings, **changes)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """The running site's settings: defaults, then HELPMAP_CONFIG's file, then HELPMAP_* variables.

    Raises ConfigError (with every problem) when the configuration file cannot be used."""
    env = os.environ if environ is None else environ
    base = Settings()
    if env.get("HELPMAP_CONFIG"):
        base = read_file(env["HELPMAP_CONFIG"], base)
    return from_environment(base, env)


def run_check(path: str) -> int:
    """`python -m helpmap check-config FILE`: print every problem; exit 1 if any, else 0."""
    problems = check_file(path)
    if problems:
        print(f"{path}: {len(problems)} problem{'s' if len(problems) > 1 else ''}", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"{path}: the configuration is valid.")
    return 0
