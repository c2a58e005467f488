"""The online geocoders (geopy's real Nominatim, Photon and Pelias classes) against a real
HTTP server on 127.0.0.1, and the offline-first chain around them."""

from __future__ import annotations

import io
import json
import logging
import uuid

import pytest

from helpmap.geocode import (
    DEFAULT_USER_AGENT,
    GeocoderChain,
    GeocoderUnavailable,
    InvalidCoordinates,
    OnlineGeocoder,
    PlaceNotFound,
    build_geocoder,
    get_offline_geocoder,
    run_cli,
)
from helpmap.geocoding.chain import ONLINE_NOT_FOUND_NOTICE, ONLINE_UNAVAILABLE_NOTICE
from helpmap.geocoding.offline import PARTIAL_NOTICE, UK_DISTRICT_NOTICE, UK_POSTCODE_NOTICE
from helpmap.geocoding.online import PROVIDERS, shared_rate_limiter
from tests.loopback_geocoder import (
    QUERY_PARAMETERS,
    SEARCH_PATHS,
    LoopbackGeocoder,
    LoopbackPlace,
    unused_port,
)

PROVIDER_NAMES = ["nominatim", "photon", "pelias"]
LEEDS = LoopbackPlace("Leeds, West Yorkshire, England", 53.7997, -1.5492, "GB", "city")
LEEDS_STATION = LoopbackPlace("Leeds railway station, New Station Street", 53.7953, -1.5476, "GB", "house")
LEEDS_ALABAMA = LoopbackPlace("Leeds, Alabama", 33.5482, -86.5444, "US", "city")
AGENT = "helpmap-tests (tests@example.org)"


@pytest.fixture(autouse=True)
def no_proxy_for_loopback(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server():
    with LoopbackGeocoder() as running:
        yield running


def online(server: LoopbackGeocoder, provider: str = "nominatim", **options) -> OnlineGeocoder:
    options = {"min_delay_seconds": 0.0, "user_agent": AGENT, "timeout": 2.0, **options}
    return OnlineGeocoder(provider, domain=server.domain, scheme="http", **options)


# --- answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
def test_each_provider_answers_through_its_own_api(server, provider):
    server.answer_with_places(provider, [LEEDS_STATION, LEEDS, LEEDS_ALABAMA])
    place = online(server, provider).geocode("Leeds station")

    assert (place.lat, place.lon) == (pytest.approx(53.7953), pytest.approx(-1.5476))
    assert place.label.startswith("Leeds railway station")
    assert place.source == provider
    assert place.country_code == "GB"
    assert place.precision == "exact"
    assert place.attribution == PROVIDERS[provider].attribution
    assert "OpenStreetMap" in place.attribution
    assert [c.country_code for c in place.candidates] == ["GB", "US"]
    assert place.candidates[1].lat == pytest.approx(33.5482)


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
def test_the_server_receives_the_query_path_and_user_agent(server, provider):
    server.answer_with_places(provider, [LEEDS])
    online(server, provider).geocode("  Leeds,   West Yorkshire ")

    (request,) = server.requests
    assert request.path == SEARCH_PATHS[provider]
    assert request.params[QUERY_PARAMETERS[provider]] == "Leeds, West Yorkshire"
    assert request.headers["User-Agent"] == AGENT


def test_nominatim_asks_for_address_details_and_a_few_results(server):
    server.answer_with_places("nominatim", [LEEDS])
    online(server).geocode("Leeds")
    assert server.requests[0].params["addressdetails"] == "1"
    assert server.requests[0].params["limit"] == "6"


def test_the_default_user_agent_identifies_helpmap(server):
    server.answer_with_places("nominatim", [LEEDS])
    OnlineGeocoder("nominatim", domain=server.domain, scheme="http", min_delay_seconds=0).geocode("Leeds")
    assert server.requests[0].headers["User-Agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("HelpMap/")


@pytest.mark.parametrize(
    ("kind", "precision"),
    [
        ("city", "city"),
        ("village", "city"),
        ("postcode", "postcode"),
        ("state", "region"),
        ("house", "exact"),
    ],
)
def test_precision_follows_the_kind_of_place(server, kind, precision):
    server.answer_with_places("nominatim", [LoopbackPlace("Somewhere", 53.8, -1.5, "GB", kind)])
    assert online(server).geocode("somewhere").precision == precision


def test_nothing_found_is_place_not_found(server):
    server.answer_json([])
    with pytest.raises(PlaceNotFound) as caught:
        online(server).geocode("Nowhere at all")
    assert "found nothing" in caught.value.message


# --- cache -------------------------------------------------------------------------------------


def test_repeated_searches_are_answered_from_memory(server):
    server.answer_with_places("nominatim", [LEEDS])
    geocoder = online(server)
    first = geocoder.geocode("Leeds")
    again = geocoder.geocode("  LEEDS ")
    assert again == first
    assert len(server.requests) == 1


def test_not_found_is_remembered_too(server):
    server.answer_json([])
    geocoder = online(server)
    for _ in range(2):
        with pytest.raises(PlaceNotFound):
            geocoder.geocode("Nowhere")
    assert len(server.requests) == 1


def test_the_cache_is_bounded_and_forgets_the_least_recently_used(server):
    server.answer_with_places("nominatim", [LEEDS])
    geocoder = online(server, cache_size=2)
    for query in ("one", "two", "three", "one"):
        geocoder.geocode(query)
    assert [r.params["q"] for r in server.requests] == ["one", "two", "three", "one"]
    geocoder.geocode("one")
    assert len(server.requests) == 4


def test_failures_are_not_cached(server):
    server.answer(status=503)
    geocoder = online(server)
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode("Leeds")
    server.answer_with_places("nominatim", [LEEDS])
    assert geocoder.geocode("Leeds").label.startswith("Leeds")
    assert len(server.requests) == 2


# --- rate limiting -----------------------------------------------------------------------------


def test_the_rate_limiter_spaces_requests_at_the_server(server):
    server.answer_with_places("nominatim", [LEEDS])
    geocoder = online(server, min_delay_seconds=0.2)
    geocoder.geocode("first place")
    geocoder.geocode("second place")
    gap = server.requests[1].arrived - server.requests[0].arrived
    assert gap >= 0.19


def test_geocoders_for_the_same_service_share_one_rate_limiter(server):
    server.answer_with_places("photon", [LEEDS])
    first, second = (
        online(server, "photon", min_delay_seconds=0.2),
        online(server, "photon", min_delay_seconds=0.2),
    )
    first.geocode("first place")
    second.geocode("second place")
    assert server.requests[1].arrived - server.requests[0].arrived >= 0.19


def test_public_nominatim_is_limited_to_one_request_a_second():
    geocoder = OnlineGeocoder("nominatim")  # builds only: no request is made
    assert geocoder.domain == "nominatim.openstreetmap.org"
    assert shared_rate_limiter("nominatim", "nominatim.openstreetmap.org", 0.0).min_delay_seconds == 1.0
    assert geocoder.name == "OpenStreetMap Nominatim"


def test_a_self_hosted_server_has_no_delay_unless_configured():
    domain = f"pelias-{uuid.uuid4().hex}.test"  # the limiters live as long as the process
    OnlineGeocoder("pelias", domain=domain)
    assert shared_rate_limiter("pelias", domain, 0.0).min_delay_seconds == 0.0
    OnlineGeocoder("pelias", domain=domain, min_delay_seconds=0.5)
    assert shared_rate_limiter("pelias", domain, 0.0).min_delay_seconds == 0.5


# --- failures ----------------------------------------------------------------------------------


def test_a_slow_server_times_out(server):
    server.answer_with_places("nominatim", [LEEDS])
    server.reply.delay_seconds = 3.0
    with pytest.raises(GeocoderUnavailable) as caught:
        online(server, timeout=0.5).geocode("Leeds")
    assert "did not answer in time" in caught.value.message
    assert len(server.requests) == 1  # no hidden retries behind the rate limiter's back


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (429, "busy"),
        (500, "not working"),
        (502, "not working"),
        (503, "did not answer in time"),
        (403, "refused"),
    ],
)
def test_http_errors_become_unavailable(server, status, words):
    server.answer(status=status, body="<html>error</html>", content_type="text/html")
    with pytest.raises(GeocoderUnavailable) as caught:
        online(server).geocode("Leeds")
    assert words in caught.value.message
    assert "127.0.0.1" in caught.value.message  # names the service the site configured


def test_connection_refused_is_unavailable():
    geocoder = OnlineGeocoder(
        "nominatim", domain=f"127.0.0.1:{unused_port()}", scheme="http", min_delay_seconds=0
    )
    with pytest.raises(GeocoderUnavailable) as caught:
        geocoder.geocode("Leeds")
    assert "could not be reached" in caught.value.message


@pytest.mark.parametrize(
    ("provider", "body"),
    [
        ("nominatim", "this is not json"),
        ("nominatim", '["a", "b"]'),
        ("nominatim", '[{"lat": "191.0", "lon": "0", "display_name": "Off the map"}]'),
        ("nominatim", '[{"lat": "north", "lon": "0", "display_name": "Nonsense"}]'),
        ("photon", '{"type": "FeatureCollection"}'),
        ("photon", '{"features": [{"geometry": {}, "properties": {}}]}'),
        ("pelias", '{"features": [{"geometry": {"coordinates": [-1.5, 53.8]}, "properties": {}}]}'),
        ("pelias", "[1, 2, 3]"),
    ],
)
@pytest.mark.filterwarnings("ignore:Latitude normalization")  # geopy warns, then refuses latitude 191
def test_malformed_replies_are_unavailable(server, provider, body):
    server.answer(body=body)
    with pytest.raises(GeocoderUnavailable) as caught:
        online(server, provider).geocode("Leeds")
    assert "could not read" in caught.value.message or "not working" in caught.value.message


# --- the chain: offline first ----------------------------------------------------------------------


def chain(server: LoopbackGeocoder, provider: str = "nominatim") -> GeocoderChain:
    return GeocoderChain(get_offline_geocoder(), online(server, provider))


@pytest.mark.parametrize("query", ["Springfield, IL", "40.7128, -74.0060", "10001", "M5V 3L9", "zurich"])
def test_what_offline_answers_never_leaves_the_server(server, query):
    place = chain(server).geocode(query)
    assert place.source in ("geonames", "coordinates", "us-zip", "ca-fsa")
    assert server.requests == []


def test_a_place_unknown_offline_is_asked_online(server):
    server.answer_with_places("nominatim", [LEEDS_STATION])
    place = chain(server).geocode("Leeds railway station")
    assert place.source == "nominatim"
    assert place.attribution
    assert server.requests[0].params["q"] == "Leeds railway station"


def test_a_full_uk_postcode_is_asked_online(server):
    server.answer_with_places(
        "nominatim", [LoopbackPlace("SW1A 1AA, London", 51.5010, -0.1416, "GB", "postcode")]
    )
    place = chain(server).geocode("SW1A 1AA")
    assert (place.source, place.precision) == ("nominatim", "postcode")


def test_when_online_fails_a_uk_postcode_falls_back_to_its_district(server):
    server.answer(status=500)
    place = chain(server).geocode("SW1A 1AA")
    assert (place.source, place.label) == ("uk-postcode", "SW1A (London, England), GB")
    assert place.notice.startswith(ONLINE_UNAVAILABLE_NOTICE)
    assert UK_DISTRICT_NOTICE in place.notice


def test_when_online_fails_an_unlisted_uk_district_falls_back_to_its_area(server):
    server.answer(status=500)
    place = chain(server).geocode("LS77 1AA")
    assert place.source == "uk-postcode-area"
    assert UK_POSTCODE_NOTICE in place.notice


def test_a_uk_district_alone_and_other_postcodes_stay_offline(server):
    for query in ("SW1A", "D02 X285", "NSW 2000", "VA 22903", "Charlotesville, VA"):
        assert chain(server).geocode(query).source != "nominatim"
    assert server.requests == []


def test_when_online_is_down_a_street_address_falls_back_to_its_town(server):
    server.answer(status=502)
    place = chain(server).geocode("221B Baker Street, London")
    assert (place.source, place.label) == ("geonames", "London, England, GB")
    assert place.notice == f"{ONLINE_UNAVAILABLE_NOTICE} {PARTIAL_NOTICE}"


def test_when_online_finds_nothing_the_offline_town_is_used(server):
    server.answer_json([])
    place = chain(server).geocode("1 Nowhere Lane, Leeds")
    assert place.label == "Leeds, England, GB"
    assert place.notice.startswith(ONLINE_NOT_FOUND_NOTICE)


def test_when_online_is_unreachable_and_offline_knows_nothing_the_error_is_clear():
    geocoder = GeocoderChain(
        get_offline_geocoder(),
        OnlineGeocoder("nominatim", domain=f"127.0.0.1:{unused_port()}", scheme="http", min_delay_seconds=0),
    )
    with pytest.raises(GeocoderUnavailable) as caught:
        geocoder.geocode("Qwxzyv Pqrst")
    assert "could not be reached" in caught.value.message
    assert "offline either" in caught.value.message


def test_when_both_find_nothing_it_is_not_found_with_offline_suggestions(server):
    server.answer_json([])
    with pytest.raises(PlaceNotFound) as caught:
        chain(server).geocode("Lendon")  # a doubtful spelling: offline asks, online knows nothing
    assert "London, England, GB" in caught.value.suggestions


def test_invalid_coordinates_are_never_sent_online(server):
    with pytest.raises(InvalidCoordinates):
        chain(server).geocode("191.2, 10")
    assert server.requests == []


# --- configuration -----------------------------------------------------------------------------


def test_the_chain_names_where_text_is_sent(server):
    assert chain(server).online_provider_name == f"OpenStreetMap Nominatim at {server.domain}"
    assert chain(server, "photon").online_provider_name == f"Photon at {server.domain}"
    assert build_geocoder(None).online_provider_name is None
    assert build_geocoder({"provider": "offline"}).online is None


def test_build_geocoder_reads_the_site_settings(server):
    server.answer_with_places("pelias", [LEEDS_STATION])
    geocoder = build_geocoder(
        {"provider": "pelias", "domain": server.domain, "scheme": "http", "user_agent": AGENT, "timeout": 2}
    )
    assert geocoder.geocode("Leeds railway station").source == "pelias"
    assert server.requests[0].headers["User-Agent"] == AGENT


@pytest.mark.parametrize(
    "settings",
    [{"provider": "google"}, {"provider": "pelias"}, {"provider": "nominatim", "scheme": "ftp"},
     {"provider": "photon", "timeout": 0}],
)  # fmt: skip
def test_settings_that_cannot_work_are_refused(settings):
    with pytest.raises(ValueError):
        build_geocoder(settings)


def test_the_command_line_uses_the_configured_geocoder(server, monkeypatch):
    server.answer_with_places("nominatim", [LEEDS_STATION])
    monkeypatch.setenv("HELPMAP_GEOCODER", "nominatim")
    monkeypatch.setenv("HELPMAP_GEOCODER_DOMAIN", server.domain)
    monkeypatch.setenv("HELPMAP_GEOCODER_SCHEME", "http")
    monkeypatch.setenv("HELPMAP_GEOCODER_USER_AGENT", AGENT)
    out = io.StringIO()
    assert run_cli(["Leeds railway station", "Springfield, IL"], offline=False, as_json=True, out=out) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["source"] for r in records] == ["nominatim", "geonames"]
    assert records[0]["attribution"] == PROVIDERS["nominatim"].attribution
    assert server.requests[0].headers["User-Agent"] == AGENT


def test_the_command_line_with_offline_never_asks_online(server, monkeypatch):
    monkeypatch.setenv("HELPMAP_GEOCODER", "nominatim")
    monkeypatch.setenv("HELPMAP_GEOCODER_DOMAIN", server.domain)
    out = io.StringIO()
    assert run_cli(["Platform 5, Leeds"], offline=True, as_json=True, out=out) == 0
    assert json.loads(out.getvalue())["label"] == "Leeds, England, GB"  # the partial offline answer
    assert server.requests == []


def test_bad_settings_in_the_environment_exit_with_2(monkeypatch, capsys):
    monkeypatch.setenv("HELPMAP_GEOCODER", "pelias")
    monkeypatch.delenv("HELPMAP_GEOCODER_DOMAIN", raising=False)
    assert run_cli(["Leeds"], offline=False, as_json=True, out=io.StringIO()) == 2
    assert "domain" in capsys.readouterr().err


# --- privacy -----------------------------------------------------------------------------------


def test_queries_never_reach_the_logs_even_at_debug_level(server, caplog):
    secret = "Quietplace Recovery Lane"
    caplog.set_level(logging.DEBUG)
    server.answer_with_places("nominatim", [LEEDS])
    online(server).geocode(secret)
    server.answer(status=500, body="failed")
    with pytest.raises(GeocoderUnavailable):
        online(server).geocode(secret + " 2")
    refused = OnlineGeocoder(
        "nominatim", domain=f"127.0.0.1:{unused_port()}", scheme="http", min_delay_seconds=0
    )
    with pytest.raises(GeocoderUnavailable):
        refused.geocode(secret)  # urllib3 retries the connection and would log the URL
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Quietplace" not in logged
    assert len(server.requests) == 2


def test_error_messages_do_not_repeat_the_query(server):
    server.answer(status=500)
    with pytest.raises(GeocoderUnavailable) as caught:
        online(server).geocode("Quietplace")
    assert "Quietplace" not in str(caught.value)
    assert caught.value.__suppress_context__  # geopy's error (with the URL) is not shown in tracebacks
