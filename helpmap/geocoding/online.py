"""Optional online geocoding through geopy: Nominatim, Photon or Pelias, public or self-hosted.

Policy built in: one process-wide geopy RateLimiter per provider and domain (public Nominatim
and Photon: at most one request a second, as their usage policies require), an identifying
user agent, a timeout, a bounded in-memory cache (never written to disk), and the provider's
attribution on every answer. Every failure becomes a GeocodeError with a plain sentence;
nothing from geopy or the network escapes.

Privacy: geopy logs each request URL (which holds the query) at debug level, and urllib3 logs
it when it retries a connection. Records from those loggers are dropped while a search runs.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import geopy.exc
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, Pelias, Photon
from geopy.location import Location

from ..i18n import N_, Text

from .. import __version__
from .adapter import DeadlineAdapter
from .coordinates import check_coordinates
from .model import Candidate, GeocodeError, GeocoderUnavailable, Place, PlaceNotFound
from .regions import iso2_from_iso3

DEFAULT_USER_AGENT = f"HelpMap/{__version__} (+https://github.com/helpmap)"
PUBLIC_MIN_DELAY_SECONDS = 1.0  # the public Nominatim and Photon policies: 1 request a second
MAX_RESULTS = 6  # the answer and up to five "did you mean" alternatives
MAX_QUERY_LENGTH = 200

_CITY_TYPES = {"city", "town", "village", "hamlet", "suburb", "neighbourhood", "quarter", "borough",
               "locality", "localadmin", "municipality", "district", "city_district", "isolated_dwelling"}  # fmt: skip
_POSTCODE_TYPES = {"postcode", "postalcode"}
_REGION_TYPES = {"county", "state", "region", "province", "country", "macroregion", "macrocounty",
                 "state_district", "dependency", "continent", "island", "archipelago"}  # fmt: skip


@dataclass(frozen=True)
class Provider:
    name: str  # shown to searchers: where their text is sent
    public_domain: str | None  # None: no public server (Pelias must be self-hosted or rented)
    geocoder_class: type
    attribution: str
    query_options: dict = field(default_factory=dict)


PROVIDERS = {
    "nominatim": Provider(
        "OpenStreetMap Nominatim", "nominatim.openstreetmap.org", Nominatim,
        "Search © OpenStreetMap contributors, ODbL", {"addressdetails": True, "limit": MAX_RESULTS},
    ),
    "photon": Provider(
        "Photon", "photon.komoot.io", Photon,
        "Search by Photon (komoot); data © OpenStreetMap contributors, ODbL", {"limit": MAX_RESULTS},
    ),
    "pelias": Provider(
        "Pelias", None, Pelias,
        "Search by Pelias; data © OpenStreetMap contributors (ODbL) and other open data sources",
    ),
}  # fmt: skip


class OnlineGeocoder:
    def __init__(
        self,
        provider: str,
        domain: str | None = None,
        scheme: str = "https",
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 5.0,
        min_delay_seconds: float | None = None,
        cache_size: int = 256,
    ) -> None:
        """Raises ValueError for settings that cannot work (an unknown provider, Pelias without a
        domain, a scheme other than http/https, a timeout or delay below zero).

        min_delay_seconds: None means 1 s against the public Nominatim or Photon server, and no
        delay against any other (self-hosted) domain."""
        spec = _provider(provider)
        _check_settings(scheme, timeout, min_delay_seconds)
        self.provider = provider
        self.domain = domain or spec.public_domain
        if not self.domain:
            raise ValueError(f"{spec.name} has no public server: give the domain of yours.")
        public = self.domain == spec.public_domain
        self.name = spec.name if public else f"{spec.name} at {self.domain}"
        self.attribution = spec.attribution
        self._query_options = spec.query_options
        self._timeout = timeout
        self._geocoder = spec.geocoder_class(
            domain=self.domain,
            scheme=scheme,
            user_agent=user_agent or DEFAULT_USER_AGENT,
            timeout=timeout,
            adapter_factory=_ADAPTER_FACTORY,
        )
        if min_delay_seconds is None:
            min_delay_seconds = PUBLIC_MIN_DELAY_SECONDS if public else 0.0
        self._limiter = shared_rate_limiter(provider, self.domain, min_delay_seconds)
        self._cache = _MemoryCache(cache_size)
        _hide_request_logs()

    def geocode(self, query: str) -> Place:
        """The best answer with up to five alternatives as candidates. Raises PlaceNotFound when
        the service found nothing, GeocoderUnavailable when it could not answer."""
        text = " ".join(query.split())
        if not text or len(text) > MAX_QUERY_LENGTH:
            raise PlaceNotFound(Text(N_("Type a town, a postcode or an address to search near.")))
        key = text.casefold()
        answer = self._cache.get(key)
        if answer is None:
            answer = self._search(text)
            self._cache.put(key, answer)
        if isinstance(answer, Place):
            return answer
        raise PlaceNotFound(Text(
            N_("{service} found nothing by that name. Check the spelling, or add the town or country."), service=self.name
        ))

    def _search(self, text: str) -> Place | bool:
        """The answer, or False when the service found nothing (cached like an answer)."""
        places = [self._place(location) for location in self._ask(text)]
        if not places:
            return False
        return replace(places[0], candidates=tuple(_candidate(place) for place in places[1:]))

    def _ask(self, text: str) -> list[Location]:
        token = _SEARCHING.set(True)
        try:
            locations = self._limiter(
                self._geocoder.geocode, text, exactly_one=False, timeout=self._timeout, **self._query_options
            )
            return list(locations or [])
        except geopy.exc.GeocoderTimedOut:
            raise GeocoderUnavailable(Text(N_("{service} did not answer in time."), service=self.name)) from None
        except geopy.exc.GeocoderQuotaExceeded:  # HTTP 429 and 402
            raise GeocoderUnavailable(
                Text(N_("{service} is busy with too many searches. Try again in a minute."), service=self.name)
            ) from None
        except (geopy.exc.GeocoderAuthenticationFailure, geopy.exc.GeocoderInsufficientPrivileges):
            raise GeocoderUnavailable(
                Text(N_("{service} refused the search; the site's geocoder settings need attention."), service=self.name)
            ) from None
        except geopy.exc.GeocoderUnavailable:
            raise GeocoderUnavailable(Text(N_("{service} could not be reached."), service=self.name)) from None
        except geopy.exc.GeocoderParseError:
            raise GeocoderUnavailable(Text(N_("{service} sent an answer HelpMap could not read."), service=self.name)) from None
        except geopy.exc.GeopyError:
            raise GeocoderUnavailable(Text(N_("{service} is not working right now."), service=self.name)) from None
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):  # JSON of the wrong shape
            raise GeocoderUnavailable(Text(N_("{service} sent an answer HelpMap could not read."), service=self.name)) from None
        finally:
            _SEARCHING.reset(token)

    def _place(self, location: Location) -> Place:
        try:
            lat, lon = check_coordinates(float(location.latitude), float(location.longitude))
            raw = location.raw if isinstance(location.raw, dict) else {}
            kind, country = _kind_and_country(self.provider, raw)
        except (GeocodeError, TypeError, ValueError, AttributeError):
            raise GeocoderUnavailable(Text(N_("{service} sent an answer HelpMap could not read."), service=self.name)) from None
        label = str(location.address or "").strip() or f"{lat:.5f}, {lon:.5f}"
        return Place(lat, lon, label, self.provider, country, _precision(kind), attribution=self.attribution)


# One attempt with a total deadline (helpmap.geocoding.adapter), then the offline answer.
_ADAPTER_FACTORY = DeadlineAdapter


def _check_settings(scheme: str, timeout: float, min_delay_seconds: float | None) -> None:
    if scheme not in ("http", "https"):
        raise ValueError(f"The geocoder scheme must be https or http, not {scheme!r}.")
    if timeout <= 0:
        raise ValueError("The geocoder timeout must be above 0 seconds.")
    if min_delay_seconds is not None and min_delay_seconds < 0:
        raise ValueError("The delay between geocoder requests cannot be below 0 seconds.")


def _provider(name: str) -> Provider:
    if name not in PROVIDERS:
        raise ValueError(f"Unknown geocoder provider {name!r}: use one of {', '.join(PROVIDERS)}.")
    return PROVIDERS[name]


# --- one rate limiter per provider and domain, for the whole process -------------------------

_limiters: dict[tuple[str, str], RateLimiter] = {}
_limiters_lock = threading.Lock()


def shared_rate_limiter(provider: str, domain: str, min_delay_seconds: float) -> RateLimiter:
    """The process-wide limiter for this service. All Streamlit sessions share one process, so
    this is what keeps the whole site under the service's limit. When two settings differ, the
    longer delay wins. Errors are raised, not swallowed (geopy's default would turn an outage
    into "not found"), and not retried: the searcher is waiting, and the offline answer is ready."""
    with _limiters_lock:
        limiter = _limiters.get((provider, domain))
        if limiter is None:
            limiter = RateLimiter(_call, min_delay_seconds=min_delay_seconds, max_retries=0,
                                  error_wait_seconds=min_delay_seconds, swallow_exceptions=False)  # fmt: skip
            _limiters[(provider, domain)] = limiter
        elif min_delay_seconds > limiter.min_delay_seconds:
            limiter.min_delay_seconds = limiter.error_wait_seconds = min_delay_seconds
        return limiter


def _call(function, *args, **kwargs):
    return function(*args, **kwargs)


# --- reading the providers' answers ------------------------------------------------------------


def _kind_and_country(provider: str, raw: dict) -> tuple[str, str | None]:
    """The kind of place (a provider's own word, e.g. "city", "house") and its ISO country code."""
    if provider == "nominatim":
        address = raw.get("address") or {}
        return str(raw.get("addresstype") or raw.get("type") or ""), _iso2(address.get("country_code"))
    properties = raw.get("properties") or {}
    if provider == "photon":
        return str(properties.get("type") or ""), _iso2(properties.get("countrycode"))
    country = _iso2(properties.get("country_code")) or iso2_from_iso3(str(properties.get("country_a") or ""))
    return str(properties.get("layer") or ""), country


def _iso2(code: object) -> str | None:
    return code.upper() if isinstance(code, str) and len(code) == 2 and code.isalpha() else None


def _precision(kind: str) -> str:
    if kind in _CITY_TYPES:
        return "city"
    if kind in _POSTCODE_TYPES:
        return "postcode"
    return "region" if kind in _REGION_TYPES else "exact"


def _candidate(place: Place) -> Candidate:
    return Candidate(place.label, place.lat, place.lon, place.country_code)


class _MemoryCache:
    """A bounded least-recently-used cache of answers. Memory only: queries never reach disk."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[str, Place | bool] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Place | bool | None:
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: str, answer: Place | bool) -> None:
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


# --- keeping queries out of logs -----------------------------------------------------------------

_SEARCHING = contextvars.ContextVar("helpmap_online_search", default=False)
_LOGGERS_THAT_SHOW_URLS = (
    "geopy",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.util.retry",
    "requests",
)


class _DropWhileSearching(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _SEARCHING.get()


_DROP_WHILE_SEARCHING = _DropWhileSearching()


def _hide_request_logs() -> None:
    for name in _LOGGERS_THAT_SHOW_URLS:
        logger = logging.getLogger(name)
        if _DROP_WHILE_SEARCHING not in logger.filters:
            logger.addFilter(_DROP_WHILE_SEARCHING)
