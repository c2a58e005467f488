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
from helpmap.geocoding.offline import (
    ADDRESS_NOTICE,
    EIRCODE_NOTICE,
    FSA_NOTICE,
    PARTIAL_NOTICE,
    SPELLING_NOTICE,
    UK_DISTRICT_NOTICE,
    UK_POSTCODE_NOT_FOUND,
    UK_POSTCODE_NOTICE,
)
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
    ("query", "label", "point"),
    [
        ("SW1A 1AA", "SW1A (London, England), GB", (51.501, -0.142)),
        ("sw1a1aa", "SW1A (London, England), GB", (51.501, -0.142)),
        ("M1", "M1 (Manchester, England), GB", (53.48, -2.24)),
        ("LS1 4AP", "LS1 (Leeds, England), GB", (53.797, -1.548)),
        ("EH1 1YZ", "EH1 (Edinburgh, Scotland), GB", (55.95, -3.19)),
        ("BT1 5GS", "BT1 (Belfast, Northern Ireland), GB", (54.60, -5.93)),
        ("W1A", "W1A (City of Westminster, England), GB", (51.52, -0.14)),
        # Far from its area's main town (Truro, 40 km): Land's End, where the issue started.
        ("TR19 7AA", "TR19 (St Just, England), GB", (50.08, -5.65)),
    ],
)
def test_uk_postcodes_are_placed_by_their_district(geocoder, query, label, point):
    place = geocoder.geocode(query)
    assert place.label == label
    assert (place.source, place.precision, place.country_code) == ("uk-postcode", "postcode", "GB")
    full = len(query.replace(" ", "")) > 4
    assert place.notice == (UK_DISTRICT_NOTICE if full else None)
    assert km_between(place, point) < 5


def test_a_uk_district_missing_from_the_table_falls_back_to_its_area(geocoder):
    place = geocoder.geocode("LS77 1AA")  # a shape-valid district GeoNames does not list
    assert (place.source, place.precision) == ("uk-postcode-area", "region")
    assert place.label == "Leeds, England, GB (postcode area LS)"
    assert place.notice == UK_POSTCODE_NOTICE


def test_every_uk_postcode_area_lands_in_its_own_country(geocoder):
    for area, (_, country) in POSTCODE_AREA_TOWNS.items():
        place = geocoder.geocode(f"{area}1")
        assert place.country_code == country, area
        assert place.source in ("uk-postcode", "uk-postcode-area"), area


def test_crown_dependencies_have_their_own_country_codes(geocoder):
    assert geocoder.geocode("JE2 3AB").country_code == "JE"
    assert geocoder.geocode("GY1").country_code == "GG"
    assert geocoder.geocode("IM1 1AA").label == "IM1 (Douglas), IM"


def test_a_uk_postcode_whose_town_is_not_in_the_gazetteer_is_not_found_honestly():
    small_index = OfflineGeocoder(min_population=15000)  # Llandrindod Wells (LD) has about 5,000 people
    with pytest.raises(PlaceNotFound) as caught:
        small_index.geocode("LD99 5AA")
    assert caught.value.message == UK_POSTCODE_NOT_FOUND


@pytest.mark.parametrize(
    ("query", "label", "point", "notice"),
    [
        ("D02 X285", "D02 (Dublin, Leinster), IE", (53.338, -6.252), EIRCODE_NOTICE),
        ("d02x285", "D02 (Dublin, Leinster), IE", (53.338, -6.252), EIRCODE_NOTICE),
        ("V92", "V92 (Tralee, Munster), IE", (52.27, -9.70), None),
        ("E91", "E91 (Clonmel, Munster), IE", (52.355, -7.70), None),  # no UK E91 district
        ("W12 X285", "W12 (Newbridge, Leinster), IE", (53.18, -6.80), EIRCODE_NOTICE),
    ],
)
def test_eircodes_are_placed_by_their_routing_key(geocoder, query, label, point, notice):
    place = geocoder.geocode(query)
    assert (place.label, place.source, place.precision, place.country_code) == (label, "ie-eircode", "postcode", "IE")
    assert place.notice == notice
    assert km_between(place, point) < 8


def test_a_code_that_is_both_a_london_district_and_a_routing_key_follows_the_site_or_country(geocoder):
    assert geocoder.geocode("W12").country_code == "GB"  # Shepherd's Bush
    assert geocoder.geocode("W12", home_country="IE").country_code == "IE"  # Newbridge, Kildare
    assert geocoder.geocode("W12, Ireland").country_code == "IE"
    assert geocoder.geocode("W12 7RJ", home_country="IE").country_code == "GB"  # a UK inward code


@pytest.mark.parametrize(
    ("query", "label", "point"),
    [
        ("2000", "2000 (Sydney, New South Wales), AU", (-33.87, 151.21)),
        ("NSW 2000", "2000 (Sydney, New South Wales), AU", (-33.87, 151.21)),
        ("Sydney NSW 2000", "2000 (Sydney, New South Wales), AU", (-33.87, 151.21)),
        ("3000, Australia", "3000 (Melbourne, Victoria), AU", (-37.81, 144.96)),
        ("VIC 3000", "3000 (Melbourne, Victoria), AU", (-37.81, 144.96)),
        ("0800", "0800 (Darwin, Northern Territory), AU", (-12.46, 130.84)),
    ],
)
def test_australian_postcodes_with_or_without_a_state(geocoder, query, label, point):
    place = geocoder.geocode(query)
    assert (place.label, place.source, place.precision, place.country_code) == (label, "au-postcode", "postcode", "AU")
    assert km_between(place, point) < 5


def test_new_zealand_postcodes_when_the_country_is_named_or_is_the_sites(geocoder):
    assert geocoder.geocode("1010, New Zealand").label == "1010 (Auckland, Auckland), NZ"
    assert geocoder.geocode("1010", home_country="NZ").country_code == "NZ"
    assert geocoder.geocode("2000", home_country="NZ").country_code == "AU"  # not an NZ code


@pytest.mark.parametrize(
    ("query", "label"),
    [("VA 22903", "22903 (Charlottesville, Virginia), US"), ("Charlottesville, VA 22903", "22903 (Charlottesville, Virginia), US"),
     ("charlottesville va 22903-1234", "22903 (Charlottesville, Virginia), US")],
)  # fmt: skip
def test_a_us_zip_with_its_state(geocoder, query, label):
    place = geocoder.geocode(query)
    assert (place.label, place.source, place.notice) == (label, "us-zip", None)


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [("TX 22903", "22903 (Charlottesville, Virginia), US"), ("NSW 3000", "3000 (Melbourne, Victoria), AU")],
)
def test_a_postcode_typed_with_another_state_is_questioned_not_placed(geocoder, query, suggestion):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode(query)
    assert "not in the state you typed" in caught.value.message
    assert caught.value.suggestions == (suggestion,)


@pytest.mark.parametrize("query", ["9999", "2000, Germany"])
def test_four_digits_that_are_no_known_postcode_are_not_found(geocoder, query):
    with pytest.raises(PlaceNotFound):
        geocoder.geocode(query)


@pytest.mark.parametrize(
    ("query", "label", "source"),
    [
        ("12 High Street, Leeds LS1 4AP", "LS1 (Leeds, England), GB", "uk-postcode"),
        ("Chapel Street, Penzance TR18 4AE", "TR18 (Penzance, England), GB", "uk-postcode"),
        ("1 Main St, Sydney NSW 2000", "2000 (Sydney, New South Wales), AU", "au-postcode"),
        ("85 Engineer's Way, Charlottesville, VA 22903", "22903 (Charlottesville, Virginia), US", "us-zip"),
        ("Trinity College, College Green, Dublin 2, D02 PN40", "D02 (Dublin, Leinster), IE", "ie-eircode"),
        ("290 Bremner Blvd, Toronto, ON M5V 3L9", "M5V (Toronto, Ontario), CA", "ca-fsa"),
    ],
)
def test_a_street_address_is_placed_at_its_postcode_and_says_so(geocoder, query, label, source):
    place = geocoder.geocode(query)
    assert (place.label, place.source) == (label, source)
    assert place.notice == ADDRESS_NOTICE.format(where=f"postcode {label}")
    assert "not at the street address" in place.notice
    with pytest.raises(PlaceNotFound):
        geocoder.geocode(query, allow_partial=False)  # the chain then asks online, when it has one


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
    ("query", "label"),
    [("Sprngfield", "Springfield, Missouri, US"), ("Manchster", "Manchester, England, GB"),
     ("Edinbrugh, Scotland", "Edinburgh, Scotland, GB"), ("Albequerque", "Albuquerque, New Mexico, US"),
     ("Philidelphia", "Philadelphia, Pennsylvania, US"), ("Charlotesville, VA", "Charlottesville, Virginia, US"),
     ("Pittsbrugh, PA", "Pittsburgh, Pennsylvania, US"), ("Rehobeth Beach, DE", "Rehoboth Beach, Delaware, US"),
     ("Chicgo", "Chicago, Illinois, US"), ("Melborne", "Melbourne, Victoria, AU"), ("Tornto", "Toronto, Ontario, CA")],
)  # fmt: skip
def test_a_clear_misspelling_is_answered_with_a_notice(geocoder, query, label):
    place = geocoder.geocode(query)
    assert place.label == label
    assert place.notice == SPELLING_NOTICE
    assert place.source == "geonames"


@pytest.mark.parametrize(
    ("query", "label"),
    [("Charlotesville, VA", "Charlottesville, Virginia, US"),  # went to "Wa, Ghana" (a town named like the state code)
     ("Manchster, NH", "Manchester, New Hampshire, US"), ("Manchster, Iowa", "Manchester, Iowa, US"),
     ("Perht, WA", "Perth, Western Australia, AU"), ("Perht, Scotland", "Perth, Scotland, GB")],
)  # fmt: skip
def test_a_misspelling_is_corrected_inside_the_region_typed(geocoder, query, label):
    assert geocoder.geocode(query).label == label


@pytest.mark.parametrize(
    ("query", "label"),
    [("Perth, Scotlnd", "Perth, Scotland, GB"),  # not Perth, Australia, the largest Perth
     ("Charlottesville, Virgina", "Charlottesville, Virginia, US"), ("Leeds, Englnd", "Leeds, England, GB")],
)  # fmt: skip
def test_a_misspelt_region_still_rules_the_answer(geocoder, query, label):
    place = geocoder.geocode(query)
    assert place.label == label
    assert SPELLING_NOTICE in place.notice


@pytest.mark.parametrize("query", ["Qwxzyv, VA", "Zzyzzx, Ohio", "Oxfrod, Wales", "12 Nowhere Lane, VA"])
def test_nothing_outside_the_region_typed_is_ever_answered(geocoder, query):
    region = geocoder.regions.areas(query.rsplit(", ", 1)[1].lower())
    try:
        place = geocoder.geocode(query)
    except PlaceNotFound as error:
        for label in error.suggestions:  # suggestions too stay inside
            assert label.endswith(("Virginia, US", "Ohio, US", "Wales, GB")), label
        return
    town = geocoder.index.nearest(place.lat, place.lon)[0]
    assert geocoder.index.in_areas(town, region), place.label


@pytest.mark.parametrize(
    ("query", "first"),
    [("Lendon", "London, England, GB"), ("Lendon, Ontario", "London, Ontario, CA"), ("Houstan", "Houston, Texas, US")],
)
def test_a_doubtful_misspelling_asks_did_you_mean(geocoder, query, first):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode(query)
    assert caught.value.message.startswith("We could not find that spelling. Did you mean")
    assert caught.value.suggestions[0] == first
    assert len(caught.value.suggestions) <= 5


def test_a_single_suggestion_is_asked_by_name(geocoder):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode("Lendon, Ontario")
    assert caught.value.message == "We could not find that spelling. Did you mean London, Ontario, CA?"


def test_the_sites_country_wins_between_names_spelt_alike_and_towns_of_one_name(geocoder):
    assert geocoder.geocode("Keswick").country_code == "CA"  # Keswick, Ontario is four times larger
    assert geocoder.geocode("Keswick", home_country="GB").label == "Keswick, England, GB"
    assert geocoder.geocode("Manchster", home_country="US").label == "Manchester, New Hampshire, US"
    assert geocoder.geocode("Paris", home_country="US").label == "Paris, FR"  # Paris, Texas is too small beside it


def test_an_unknown_place_is_not_found_without_made_up_suggestions(geocoder):
    with pytest.raises(PlaceNotFound) as caught:
        geocoder.geocode("Qwxzyv Pqrst")
    assert caught.value.message.startswith("We could not find that place")
    assert caught.value.suggestions == ()


@pytest.mark.parametrize(
    ("query", "label"),
    [("221B Baker Street, London", "London, England, GB"), ("10115 Berlin", "Berlin, DE"),
     ("12 High Street, Leeds", "Leeds, England, GB"), ("Springfield, Sangamon County", "Springfield, Missouri, US"),
     ("1600 Pennsylvania Ave, Washington, DC", "Washington, District of Columbia, US"),
     ("5th Avenue, New York", "New York City, New York, US")],
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
        (("Leeds", "West Yorkshire", "LS1 4AP", "UK"), "LS1 (Leeds, England), GB"),
        (("", "", "SW1A 1AA", "UK"), "SW1A (London, England), GB"),
        (("Dublin", "", "D02 X285", "Ireland"), "D02 (Dublin, Leinster), IE"),
        (("Sydney", "NSW", "2000", "Australia"), "2000 (Sydney, New South Wales), AU"),
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
     (float("nan"), None, None, None), ("", "", "SW1A 1AA", "Ireland"), ("", "", "02139", "Canada"),
     ("", "", "2000", "")],
)  # fmt: skip
def test_geocode_address_returns_none_when_not_known_at_town_or_postcode_level(address):
    assert geocode_address(*address) is None


# --- the process-wide instance, the network, logs and the command line ---------------------------


def test_the_offline_geocoder_is_one_per_process():
    assert get_offline_geocoder() is get_offline_geocoder()
    assert build_geocoder().offline is get_offline_geocoder()


def test_the_index_is_built_once_even_when_threads_race(monkeypatch):
    # Built or read from its file (index_file.py): either way once per geocoder.
    builds = []
    load_or_build = offline_module.index_file.load_or_build

    def counting(*args, **kwargs):
        builds.append(1)
        return load_or_build(*args, **kwargs)

    monkeypatch.setattr(offline_module.index_file, "load_or_build", counting)
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
    for query in ("40.7, -74.0", "10001", "H2X 1Y4", "SW1A 1AA", "Springfield, IL", "Москва", "D02 X285",
                  "NSW 2000", "VA 22903", "Manchster", "Rehoboth Beach, DE", "12 High St, Leeds LS1 4AP"):
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
    assert run_cli(["Lendon"], offline=True, as_json=False, out=out) == 1
    assert "not found" in out.getvalue() and "London, England, GB" in out.getvalue()
