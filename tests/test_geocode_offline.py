"""The offline geocoder: coordinates, US ZIP codes, Canadian FSAs, UK postcode areas and
GeoNames towns, from data shipped in installed packages, with no network."""

from __future__ import annotations

import io
import json
import logging
import socket
import threading

import pytest
from geopy.distance import geodesic

import helpmap.geocoding.offline as offline_module
from helpmap.geocode import (
    GeocoderChain,
    InvalidCoordinates,
    OfflineGeocoder,
    PlaceNotFound,
    build_geocoder,
    geocode_address,
    get_offline_geocoder,
    place_from_browser,
    run_cli,
)
from helpmap.geocoding.model import PRECISIONS, SOURCES
from helpmap.geocoding.offline import FSA_NOTICE, PARTIAL_NOTICE, UK_POSTCODE_NOT_FOUND, UK_POSTCODE_NOTICE
from helpmap.geocoding.uk_postcodes import POSTCODE_AREA_TOWNS

NEW_YORK = (40.7128, -74.0060)


@pytest.fixture(scope="module")
def geocoder() -> OfflineGeocoder:
    return get_offline_geocoder()


def km_between(place, point: tuple[float, float]) -> float:
    return geodesic((place.lat, place.lon), point).km


# --- coordinates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "40.7128, -74.0060",
        "40.7128 -74.0060",
        "40.7128,-74.0060",
        "40.7128N 74.0060W",
        "N 40.7128 W 74.0060",
        "74.0060W 40.7128N",
        "40°42'46\"N 74°0'21\"W",
        "40° 42′ 46″ N, 74° 0′ 21″ W",
        "40.7128° N, 74.0060° W",
        "40.7128 n, 74.0060 w",
    ],
)
def test_coordinates_in_common_forms(geocoder, query):
    place = geocoder.geocode(query)
    assert (place.source, place.precision, place.country_code) == ("coordinates", "exact", "US")
    assert km_between(place, NEW_YORK) < 0.05


def test_southern_and_eastern_hemispheres(geocoder):
    place = geocoder.geocode("33°52′S 151°12′E")
    assert (place.lat, place.lon) == (pytest.approx(-33.8667, abs=1e-4), pytest.approx(151.2))
    assert place.country_code == "AU"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("191.2, 10", "Latitude 191.2 is outside -90 to 90."),
        ("-90.5, 10", "Latitude -90.5 is outside -90 to 90."),
        ("10, 191.2", "Longitude 191.2 is outside -180 to 180."),
        ("40N 74N", "Both numbers are marked as the same direction"),
        ("-40N 10E", "Use either a minus sign or a direction letter"),
        ("40°75'N 10°E", "Minutes and seconds must be below 60."),
    ],
)
def test_impossible_coordinates_say_what_is_wrong(geocoder, query, message):
    with pytest.raises(InvalidCoordinates) as caught:
        geocoder.geocode(query)
    assert caught.value.message.startswith(message)


def test_swapped_coordinates_are_suggested_the_right_way_round(geocoder):
    with pytest.raises(InvalidCoordinates) as caught:
        geocoder.geocode("151.2, -33.87")
    assert "swapped" in caught.value.message
    assert caught.value.suggestions == ("-33.87, 151.2",)


def test_coordinates_at_sea_have_no_country(geocoder):
    place = geocoder.geocode("0, -140")
    assert place.country_code is None


# --- postcodes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["10001", "10001-1234", "10001 1234", " 10001 "])
def test_us_zip_and_zip_plus_four(geocoder, query):
    place = geocoder.geocode(query)
    assert (place.source, place.precision, place.country_code) == ("us-zip", "postcode", "US")
    assert place.label == "10001 (New York, New York), US"
    assert km_between(place, (40.750, -73.997)) < 3


def test_a_puerto_rico_zip_is_in_puerto_rico(geocoder):
    assert geocoder.geocode("00901").country_code == "PR"


def test_an_unknown_zip_is_not_found(geocoder):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode("00000")
    assert "ZIP" in caught.value.message


@pytest.mark.parametrize("query", ["M5V", "m5v", "M5V 3L9", "m5v3l9"])
def test_canadian_postal_codes_by_their_first_three_characters(geocoder, query):
    place = geocoder.geocode(query)
    assert place.label == "M5V (Toronto, Ontario), CA"
    assert (place.source, place.precision, place.country_code) == ("ca-fsa", "postcode", "CA")
    assert km_between(place, (43.64, -79.39)) < 3
    assert place.notice == (FSA_NOTICE if len(query.replace(" ", "")) > 3 else None)


def test_canadian_territories_are_labelled_with_a_canadian_town(geocoder):
    place = geocoder.geocode("X0A")  # its centre is nearer to Greenland's towns than to Canada's
    assert place.label.endswith(", Nunavut), CA")


def test_an_unknown_canadian_postal_code_is_not_found(geocoder):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode("K0Z 1A1")
    assert "Canadian postal code" in caught.value.message


@pytest.mark.parametrize(
    ("query", "town", "point"),
    [
        ("SW1A 1AA", "London, England, GB (postcode area SW)", (51.501, -0.142)),
        ("sw1a1aa", "London, England, GB (postcode area SW)", (51.501, -0.142)),
        ("M1", "Manchester, England, GB (postcode area M)", (53.48, -2.24)),
        ("LS1 4AP", "Leeds, England, GB (postcode area LS)", (53.80, -1.55)),
        ("EH1 1YZ", "Edinburgh, Scotland, GB (postcode area EH)", (55.95, -3.19)),
        ("BT1 5GS", "Belfast, Northern Ireland, GB (postcode area BT)", (54.60, -5.93)),
        ("W1A", "London, England, GB (postcode area W)", (51.52, -0.14)),
    ],
)
def test_uk_postcodes_are_placed_by_their_area_and_say_so(geocoder, query, town, point):
    place = geocoder.geocode(query)
    assert place.label == town
    assert (place.source, place.precision, place.country_code) == ("uk-postcode-area", "region", "GB")
    assert place.notice == UK_POSTCODE_NOTICE
    assert "online geocoder" in place.notice
    assert km_between(place, point) < 10


def test_every_uk_postcode_area_has_a_town_that_geonames_knows(geocoder):
    for area, (_, country) in POSTCODE_AREA_TOWNS.items():
        place = geocoder.geocode(f"{area}1")
        assert place.country_code == country, area
        assert place.label.endswith(f"(postcode area {area})")


def test_crown_dependencies_have_their_own_country_codes(geocoder):
    assert geocoder.geocode("JE2 3AB").country_code == "JE"
    assert geocoder.geocode("GY1").country_code == "GG"
    assert geocoder.geocode("IM1 1AA").country_code == "IM"


def test_a_uk_postcode_whose_town_is_not_in_the_gazetteer_is_not_found_honestly():
    small_index = OfflineGeocoder(min_population=15000)  # Llandrindod Wells (LD) has about 5,000 people
    with pytest.raises(PlaceNotFound) as caught:
        small_index.geocode("LD1 5AA")
    assert caught.value.message == UK_POSTCODE_NOT_FOUND


# --- town names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "label", "point"),
    [
        ("London, Ontario", "London, Ontario, CA", (42.98, -81.25)),
        ("Springfield, IL", "Springfield, Illinois, US", (39.80, -89.64)),
        ("Portland, Maine", "Portland, Maine, US", (43.66, -70.26)),
        ("Perth, Scotland", "Perth, Scotland, GB", (56.40, -3.44)),
        ("Paris, TX", "Paris, Texas, US", (33.66, -95.56)),
        ("Cambridge, MA", "Cambridge, Massachusetts, US", (42.37, -71.11)),
        ("Birmingham, UK", "Birmingham, England, GB", (52.48, -1.90)),
        ("Perth, WA", "Perth, Western Australia, AU", (-31.95, 115.86)),
        ("Richmond, BC", "Richmond, British Columbia, CA", (49.17, -123.14)),
        ("Dublin, Ohio", "Dublin, Ohio, US", (40.10, -83.11)),
        ("Springfield IL", "Springfield, Illinois, US", (39.80, -89.64)),
        ("Paris Texas", "Paris, Texas, US", (33.66, -95.56)),
        ("Perth, Scotland, UK", "Perth, Scotland, GB", (56.40, -3.44)),
        ("Washington, D.C.", "Washington, District of Columbia, US", (38.90, -77.04)),
    ],
)
def test_towns_are_told_apart_by_region_or_country(geocoder, query, label, point):
    place = geocoder.geocode(query)
    assert place.label == label
    assert (place.source, place.precision) == ("geonames", "city")
    assert km_between(place, point) < 10


@pytest.mark.parametrize(
    ("variants", "point"),
    [
        (["Zürich", "zurich", "ZURICH", " zürich "], (47.37, 8.54)),
        (["St. Louis", "st louis", "Saint Louis", "ST.LOUIS", "saint-louis"], (38.63, -90.20)),
        (["New York", "  NEW   york ", "new-york", "NYC"], (40.71, -74.01)),
        (["Montréal", "montreal", "MONTREAL"], (45.50, -73.57)),
        (["São Paulo", "sao paulo", "Sao-Paulo"], (-23.55, -46.63)),
        (["Coeur d'Alene", "coeur dalene", "Cœur d’Alène"], (47.68, -116.78)),
        (["Fort Worth", "Ft. Worth", "ft worth"], (32.76, -97.33)),
    ],
)
def test_case_accents_punctuation_and_spacing_do_not_matter(geocoder, variants, point):
    places = [geocoder.geocode(query) for query in variants]
    assert {place.label for place in places} == {places[0].label}
    assert km_between(places[0], point) < 10


@pytest.mark.parametrize(
    ("query", "label"),
    [("Bombay", "Mumbai, IN"), ("Den Haag", "The Hague, NL"), ("Cologne", "Köln, DE"), ("München", "Munich, DE"),
     ("Kiev", "Kyiv, UA"), ("Москва", "Moscow, RU"), ("東京", "Tokyo, JP")],
)  # fmt: skip
def test_alternate_names_in_any_script(geocoder, query, label):
    assert geocoder.geocode(query).label == label


def test_ambiguous_names_rank_by_population_and_offer_the_others(geocoder):
    place = geocoder.geocode("Springfield")
    labels = [candidate.label for candidate in place.candidates]
    assert place.label == "Springfield, Missouri, US"
    assert "Springfield, Illinois, US" in labels and "Springfield, Massachusetts, US" in labels
    assert 1 < len(labels) <= 5
    assert len(set(labels)) == len(labels)


def test_candidates_can_be_searched_as_they_are_labelled(geocoder):
    for query in ("Springfield", "Perth", "Dublin", "Cambridge"):
        for candidate in geocoder.geocode(query).candidates:
            again = geocoder.geocode(candidate.label)
            assert (again.lat, again.lon) == (candidate.lat, candidate.lon), candidate.label


def test_candidates_leave_out_villages_that_merely_list_the_name(geocoder):
    labels = [candidate.label for candidate in geocoder.geocode("New York").candidates]
    assert "Niu-York, UA" not in labels


def test_a_country_alone_is_a_whole_region_with_suggestions(geocoder):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode("Texas")
    assert "whole region or country" in caught.value.message
    assert caught.value.suggestions[0] == "Houston, Texas, US"
    assert all(s.endswith("Texas, US") for s in caught.value.suggestions)


def test_a_known_town_in_the_wrong_region_suggests_where_it_is(geocoder):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode("Leeds, Wales")
    assert "not in the region or country you gave" in caught.value.message
    assert "Leeds, England, GB" in caught.value.suggestions


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [("Sprngfield", "Springfield, Missouri, US"), ("Manchster", "Manchester, England, GB"),
     ("Edinbrugh, Scotland", "Edinburgh, Scotland, GB")],
)  # fmt: skip
def test_misspelt_names_get_suggestions(geocoder, query, suggestion):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode(query)
    assert suggestion in caught.value.suggestions
    assert len(caught.value.suggestions) <= 5


def test_an_unknown_place_is_not_found_without_made_up_suggestions(geocoder):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode("Qwxzyv Pqrst")
    assert caught.value.message.startswith("We could not find that place")
    assert caught.value.suggestions == ()


@pytest.mark.parametrize(
    ("query", "label"),
    [("221B Baker Street, London", "London, England, GB"), ("10115 Berlin", "Berlin, DE"),
     ("12 High Street, Leeds, LS1 4AP", "Leeds, England, GB"), ("Springfield, Sangamon County", "Springfield, Missouri, US")],
)  # fmt: skip
def test_a_town_in_a_longer_address_is_a_partial_answer_with_a_notice(geocoder, query, label):
    place = geocoder.geocode(query)
    assert place.label == label
    assert place.notice == PARTIAL_NOTICE
    with pytest.raises(PlaceNotFound):
        geocoder.geocode(query, allow_partial=False)


@pytest.mark.parametrize("query", ["", "   ", ",,,", "x" * 201])
def test_empty_or_absurd_queries_are_not_found(geocoder, query):
    with pytest.raises(PlaceNotFound):
        geocoder.geocode(query)


@pytest.mark.parametrize("query", ["40.7, -74.0", "10001", "M5V", "SW1A 1AA", "Leeds", "12 High St, Leeds"])
def test_every_answer_names_a_known_source_and_precision(geocoder, query):
    place = geocoder.geocode(query)
    assert place.source in SOURCES and place.precision in PRECISIONS


# --- "use my location" and directory addresses ---------------------------------------------------


def test_place_from_browser():
    place = place_from_browser(51.5074, -0.1278)
    assert (place.label, place.source, place.precision, place.country_code) == (
        "Your location",
        "browser",
        "exact",
        "GB",
    )
    assert (place.lat, place.lon) == (51.5074, -0.1278)


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (0, 181), (float("nan"), 0), ("north", 0), (None, 0)])
def test_place_from_browser_refuses_impossible_points(lat, lon):
    with pytest.raises(InvalidCoordinates):
        place_from_browser(lat, lon)


@pytest.mark.parametrize(
    ("address", "label"),
    [
        (("Springfield", "IL", "", "US"), "Springfield, Illinois, US"),
        (("Springfield", "Massachusetts", "", ""), "Springfield, Massachusetts, US"),
        (("Cambridge", "MA", "02139", "USA"), "02139 (Cambridge, Massachusetts), US"),
        (("", "", "02139", ""), "02139 (Cambridge, Massachusetts), US"),
        (("Toronto", "ON", "M5V 3L9", "Canada"), "M5V (Toronto, Ontario), CA"),
        (("Leeds", "West Yorkshire", "LS1 4AP", "UK"), "Leeds, England, GB"),
        (("Paris", "", "", "France"), "Paris, FR"),
        (("Perth", "", "", "Australia"), "Perth, Western Australia, AU"),
    ],
)
def test_geocode_address_places_directory_rows(address, label):
    place = geocode_address(*address)
    assert place is not None and place.label == label


@pytest.mark.parametrize(
    "address",
    [("Paris", "", "", "Germany"), ("Springfield", "Ontario", "", ""), ("Qwxzyv", "", "", ""), ("", "", "", ""),
     (float("nan"), None, None, None), ("", "", "SW1A 1AA", "UK"), ("", "", "02139", "Canada")],
)  # fmt: skip
def test_geocode_address_returns_none_when_not_known_at_town_or_postcode_level(address):
    assert geocode_address(*address) is None


# --- the process-wide instance, the network, logs and the command line ---------------------------


def test_the_offline_geocoder_is_one_per_process():
    assert get_offline_geocoder() is get_offline_geocoder()
    assert build_geocoder().offline is get_offline_geocoder()


def test_the_index_is_built_once_even_when_threads_race(monkeypatch):
    builds = []

    class CountingIndex(offline_module.CityIndex):
        def __init__(self, *args, **kwargs):
            builds.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(offline_module, "CityIndex", CountingIndex)
    fresh = OfflineGeocoder()
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(fresh.geocode("Leeds").label)) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["Leeds, England, GB"] * 6
    assert builds == [1]


def test_offline_never_touches_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the offline geocoder tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fresh = OfflineGeocoder()  # a cold start too: package data loads without the network
    for query in ("40.7, -74.0", "10001", "H2X 1Y4", "SW1A 1AA", "Springfield, IL", "Москва"):
        assert fresh.geocode(query).lat


def test_queries_are_never_logged_or_printed(caplog, capsys):
    caplog.set_level(logging.DEBUG)
    chain = GeocoderChain()
    for query in ("Quietplace, Leeds", "Qwxzyv Pqrst", "SW1A 1AA"):
        try:
            chain.geocode(query)
        except PlaceNotFound:
            pass
    captured = capsys.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Quietplace" not in logged + captured.out + captured.err
    assert "Qwxzyv" not in logged + captured.out + captured.err


def test_the_command_line_prints_one_json_object_per_query(monkeypatch):
    monkeypatch.delenv("HELPMAP_GEOCODER", raising=False)
    out = io.StringIO()
    code = run_cli(["Springfield", "Qwxzyv Pqrst", "10001"], offline=False, as_json=True, out=out)
    found, missing, zip_code = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 1
    assert {"query", "lat", "lon", "label", "source", "candidates"} <= set(found)
    assert (found["query"], found["label"], found["source"]) == (
        "Springfield",
        "Springfield, Missouri, US",
        "geonames",
    )
    assert found["candidates"][0]["label"]
    assert set(missing) == {"query", "error"} and missing["query"] == "Qwxzyv Pqrst"
    assert zip_code["source"] == "us-zip"


def test_the_command_line_exits_0_when_everything_was_found():
    out = io.StringIO()
    assert run_cli(["Leeds", "M5V"], offline=True, as_json=False, out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Leeds: 53.7")
    assert "M5V (Toronto, Ontario), CA" in out.getvalue()


def test_the_command_line_writes_to_standard_output_by_default(capsys):
    assert run_cli(["Leeds"], offline=True, as_json=True) == 0
    assert json.loads(capsys.readouterr().out)["label"] == "Leeds, England, GB"


def test_the_command_line_prints_suggestions_for_misses():
    out = io.StringIO()
    assert run_cli(["Manchster"], offline=True, as_json=False, out=out) == 1
    assert "not found" in out.getvalue() and "Manchester, England, GB" in out.getvalue()
