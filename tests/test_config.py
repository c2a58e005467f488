"""The site configuration file: every problem reported at once, precedence, the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpmap import config
from helpmap.config import ConfigError, GeocoderSettings, Settings, SourceSettings

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "site.toml"


def write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    return config.check_file(write(tmp_path, text))


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "services.csv"
    path.write_text("name,kind,latitude,longitude\nA,treatment,53.8,-1.5\n", encoding="utf-8")
    return path


# --- the example --------------------------------------------------------------------------


def test_the_documented_example_is_valid_and_says_what_it_sets():
    settings = config.read_file(EXAMPLE)
    assert settings.title == "Example Recovery Network: find help"
    assert settings.units == "mi"
    assert settings.default_radius_km == pytest.approx(10 * 1.609344)
    assert settings.default_place == "Leeds"
    assert settings.country == "GB"
    assert settings.theme.primary == "#0b5d3b"
    assert Path(settings.logo) == (EXAMPLE.parent / "logo.svg").resolve()
    assert [Path(s.location) for s in settings.data_sources] == [(REPO / "data" / "demo-directory.csv").resolve()]
    assert settings.report_problem_url.startswith("mailto:")
    assert settings.config_file == str(EXAMPLE)


def test_every_key_in_the_schema_is_documented_in_the_example():
    text = EXAMPLE.read_text(encoding="utf-8")
    for table, keys in config.SCHEMA.items():
        assert f"[{table}]" in text
        for key in keys:
            assert f"{key} =" in text, f"[{table}] {key} is not documented in examples/site.toml"
    for key in config.SOURCE_KEYS:
        assert f"{key} =" in text


# --- each kind of problem ------------------------------------------------------------------


def test_an_unknown_key_names_the_closest_valid_one(tmp_path):
    assert problems(tmp_path, '[site]\ntitel = "X"\n') == ["unknown key 'titel' in [site]; did you mean 'title'?"]


def test_an_unknown_table_names_the_closest_valid_one(tmp_path):
    assert problems(tmp_path, '[theem]\nprimary = "#000000"\n') == ["unknown table [theem]; did you mean 'theme'?"]


def test_an_unknown_key_in_a_source_is_found(tmp_path, data_file):
    found = problems(tmp_path, f'[[sources]]\nlocation = "{data_file}"\nrefresh_minute = 5\n')
    assert found == ["unknown key 'refresh_minute' in [[sources]] #1; did you mean 'refresh_minutes'?"]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[area]\nradius = \"10\"\n", "[area] radius: should be a number, not text"),
        ("[area]\nradius = true\n", "[area] radius: should be a number, not true/false"),
        ("[site]\ntitle = 3\n", "[site] title: should be text in quotes, not a number"),
        ("site = 1\n", "[site] should be a table (a [site] heading), not a number"),
        ("[[sources]]\nlocation = [\"a.csv\"]\n", "[[sources]] #1 location: should be text in quotes, not a list"),
        ("[sources]\nlocation = \"a.csv\"\n", "sources should be written as [[sources]] tables, not a table"),
    ],
)
def test_a_wrong_type_is_named(tmp_path, toml, expected):
    assert expected in problems(tmp_path, toml)


@pytest.mark.parametrize("colour", ["blue", "#12345", "1f5fa8", "#1f5fa8; }", "rgb(0,0,0)", "#gggggg"])
def test_a_bad_colour_is_refused(tmp_path, colour):
    found = problems(tmp_path, f'[theme]\nprimary = "{colour}"\n')
    assert len(found) == 1 and found[0].startswith("[theme] primary:") and "not a colour" in found[0]


def test_short_colours_are_expanded(tmp_path):
    settings = config.read_file(write(tmp_path, '[theme]\nprimary = "#036"\ntext = "#000"\n'))
    assert (settings.theme.primary, settings.theme.text) == ("#003366", "#000000")


def test_unreadable_colour_pairs_are_refused(tmp_path):
    found = problems(tmp_path, '[theme]\nbackground = "#ffffff"\ntext = "#aaaaaa"\nprimary = "#ffd700"\n')
    assert any(p.startswith("[theme] text:") and "4.5:1" in p for p in found)
    assert any(p.startswith("[theme] primary:") and "darker" in p for p in found)


def test_a_missing_file_is_named_with_its_full_path(tmp_path):
    found = problems(tmp_path, '[site]\nlogo = "art/logo.png"\n\n[[sources]]\nlocation = "nowhere.csv"\n')
    assert f"[site] logo: there is no image at {tmp_path / 'art' / 'logo.png'}" in found
    assert f"[[sources]] #1 location: there is no file at {tmp_path / 'nowhere.csv'}" in found


def test_a_logo_must_be_an_image(tmp_path, data_file):
    assert problems(tmp_path, f'[site]\nlogo = "{data_file}"\n') == [
        "[site] logo: services.csv is not an image (.png, .jpg, .jpeg, .gif, .svg, .webp)"
    ]


@pytest.mark.parametrize(
    ("key", "value", "allowed"),
    [
        ("report_problem", "javascript:alert(1)", "mailto: or https:"),
        ("report_problem", "http://example.org/report", "mailto: or https:"),
        ("quick_exit", "ftp://example.org", "https: or http:"),
        ("quick_exit", "www.bbc.co.uk", "https: or http:"),
    ],
)
def test_a_bad_url_scheme_is_refused(tmp_path, key, value, allowed):
    found = problems(tmp_path, f'[site]\n{key} = "{value}"\n')
    assert len(found) == 1 and found[0].startswith(f"[site] {key}:") and allowed in found[0]


def test_a_source_address_must_be_http(tmp_path):
    found = problems(tmp_path, '[[sources]]\nlocation = "file:///etc/passwd"\n')
    assert found == ["[[sources]] #1 location: 'file:///etc/passwd' has 'file:'; it should start with https: or http:"]


def test_mailto_needs_an_address(tmp_path):
    assert problems(tmp_path, '[site]\nreport_problem = "mailto:"\n') == [
        "[site] report_problem: 'mailto:' has no email address after mailto:"
    ]


def test_bad_units_are_refused(tmp_path):
    assert problems(tmp_path, '[area]\nunits = "miles"\n') == ["[area] units: 'miles' is not one of km, mi"]


@pytest.mark.parametrize(
    ("toml", "start"),
    [
        ('[area]\nradius = 0\n', "[area] radius:"),
        ('[area]\nradius = 400\nunits = "mi"\n', "[area] radius:"),  # 644 km: beyond the form's limit
        ('[area]\ncentre = "91, 0"\n', "[area] centre:"),
        ('[area]\ncentre = ""\n', "[area] centre:"),
        ('[helplines]\ncountry = "England"\n', "[helplines] country:"),
        ('[site]\nlanguage = "fr"\n', "[site] language:"),
        ('[site]\ntitle = ""\n', "[site] title:"),
        ('[geocoder]\nprovider = "nominatin"\n', "[geocoder] provider:"),
        ('[geocoder]\nprovider = "nominatim"\n', "[geocoder] user_agent:"),
        ('[geocoder]\nprovider = "pelias"\nuser_agent = "x (a@b.org)"\n', "[geocoder] domain:"),
        ('[geocoder]\ndomain = "https://nominatim.example.org"\n', "[geocoder] domain:"),
        ('[geocoder]\nscheme = "ftp"\n', "[geocoder] scheme:"),
        ('[geocoder]\ntimeout = 0\n', "[geocoder] timeout:"),
        ('[tiles]\nurl = "https://tiles.example.org/tile.png"\nattribution = "x"\n', "[tiles] url:"),
        ('[tiles]\nurl = "https://tiles.example.org/{z}/{x}/{y}.png"\n', "[tiles] attribution:"),
        ('[tiles]\nurl = "javascript:alert(1)//{z}{x}{y}"\nattribution = "x"\n', "[tiles] url:"),
        ('[tiles]\nurl = "https://t.example.org/{z}/{x}/{y}.png"\nattribution = "<img src=x onerror=alert(1)>"\n',
         "[tiles] attribution:"),
        ('[tiles]\nurl = "https://t.example.org/{z}/{x}/{y}.png"\nattribution = "<a href=\'javascript:x\'>a</a>"\n',
         "[tiles] attribution:"),
        ('[[sources]]\nlocation = "https://example.org/hsds"\nformat = "hsds"\n', "[[sources]] #1 location:"),
        ('sources = []\n', "[[sources]] is empty"),
    ],
)
def test_other_bad_values_are_refused(tmp_path, toml, start):
    found = problems(tmp_path, toml)
    assert len(found) == 1 and found[0].startswith(start), found


def test_a_centre_the_offline_geocoder_cannot_find_is_refused(tmp_path):
    found = problems(tmp_path, '[area]\ncentre = "Leds"\n')
    assert len(found) == 1 and found[0].startswith("[area] centre: 'Leds' was not found by the offline geocoder.")
    assert "Leeds, England, GB" in found[0]
    # An online geocoder may know street addresses the offline one does not: no check then.
    online = '[geocoder]\nprovider = "nominatim"\nuser_agent = "t (t@example.org)"\n'
    assert problems(tmp_path, '[area]\ncentre = "12 Example Street, Leeds"\n' + online) == []
    assert problems(tmp_path, '[area]\ncentre = "53.8, -1.55"\n') == []


def test_a_misspelt_format_or_provider_gets_a_suggestion(tmp_path, data_file):
    found = problems(tmp_path, f'[[sources]]\nlocation = "{data_file}"\nformat = "meeting_guide"\n')
    assert found == [
        "[[sources]] #1 format: 'meeting_guide' is not one of helpmap, samhsa, meeting-guide, bmlt, hsds, csv; "
        "did you mean 'meeting-guide'?"
    ]
    assert "did you mean 'nominatim'?" in problems(tmp_path, '[geocoder]\nprovider = "nominatin"\n')[0]


def test_every_problem_is_reported_at_once(tmp_path):
    text = """
[site]
titel = "Typo"
logo = "missing.png"
report_problem = "javascript:alert(1)"

[theme]
primary = "green"

[area]
units = "miles"
radius = "ten"

[[sources]]
location = "gone.csv"

[[sources]]
location = "gopher://old.example.org/data"
"""
    with pytest.raises(ConfigError) as caught:
        config.read_file(write(tmp_path, text))
    found = caught.value.problems
    assert len(found) == 8, found
    for fragment in ("titel", "logo", "report_problem", "[theme] primary", "[area] units", "[area] radius",
                     "#1 location", "#2 location"):  # fmt: skip
        assert any(fragment in p for p in found), fragment


def test_broken_toml_is_one_clear_problem(tmp_path):
    found = problems(tmp_path, '[site]\ntitle = "unterminated\n')
    assert len(found) == 1 and found[0].startswith("this is not valid TOML:") and "line 2" in found[0]


def test_a_missing_configuration_file_is_a_problem(tmp_path):
    assert config.check_file(tmp_path / "nope.toml") == [f"there is no configuration file at {tmp_path / 'nope.toml'}"]


# --- what the file sets, and precedence ----------------------------------------------------


def test_sources_keep_their_format_and_refresh_interval(tmp_path, data_file):
    settings = config.read_file(write(tmp_path, f"""
[[sources]]
location = "services.csv"

[[sources]]
location = "https://example.org/meetings.json"
format = "meeting-guide"
refresh_minutes = 15
"""))  # fmt: skip
    assert settings.data_sources == (
        SourceSettings(str(data_file), "helpmap", 60.0),
        SourceSettings("https://example.org/meetings.json", "meeting-guide", 15.0),
    )


def test_an_online_geocoder_maps_onto_geocoder_settings(tmp_path):
    settings = config.read_file(write(tmp_path, """
[geocoder]
provider = "nominatim"
domain = "nominatim.example.org"
user_agent = "helpmap-leeds (help@example.org)"
timeout = 3
"""))  # fmt: skip
    assert settings.geocoder == GeocoderSettings("nominatim", "nominatim.example.org", "https", "helpmap-leeds (help@example.org)", 3.0)
    assert settings.geocoder.as_dict()["domain"] == "nominatim.example.org"


# --- the map's background: built in unless the site opts in to a tile server --------------


def test_by_default_the_map_uses_the_built_in_base_map_and_no_tile_server():
    tiles = config.load_settings({}).tiles
    assert tiles.builtin and tiles.url == ""
    assert tiles.attribution == "Natural Earth; US Census Bureau; GeoNames"
    assert config.read_file(EXAMPLE).tiles.builtin  # the documented example is private too


def test_a_tiles_table_opts_in_to_a_tile_server(tmp_path):
    settings = config.read_file(write(tmp_path, """
[tiles]
url = "https://tile.example.org/{z}/{x}/{y}.png"
attribution = "© Example contributors"
"""))  # fmt: skip
    assert settings.tiles == config.TileSettings("https://tile.example.org/{z}/{x}/{y}.png", "© Example contributors")
    assert not settings.tiles.builtin


def test_helpmap_tiles_url_still_opts_in_and_wins_over_the_file(tmp_path):
    path = write(tmp_path, '[tiles]\nurl = "https://a.example.org/{z}/{x}/{y}.png"\nattribution = "A"\n')
    env = {"HELPMAP_CONFIG": str(path), "HELPMAP_TILES_URL": "http://127.0.0.1:8080/{z}/{x}/{y}.png"}
    tiles = config.load_settings(env).tiles
    assert (tiles.url, tiles.attribution, tiles.builtin) == ("http://127.0.0.1:8080/{z}/{x}/{y}.png", "Map tiles", False)
    named = config.load_settings({"HELPMAP_TILES_URL": "https://b.example.org/{z}/{x}/{y}.png",
                                  "HELPMAP_TILES_ATTRIBUTION": "B"}).tiles  # fmt: skip
    assert named.attribution == "B"


def test_a_tiles_table_without_a_url_points_to_the_built_in_map(tmp_path):
    assert problems(tmp_path, '[tiles]\nattribution = "Example"\n') == [
        "[tiles] url: is missing; give the tile address with {z}, {x} and {y}, "
        "or leave out [tiles] for the built-in offline map"
    ]


def test_check_config_names_a_bad_tile_server_and_accepts_a_good_one(tmp_path):
    bad = write(tmp_path, '[tiles]\nurl = "https://tiles.example.org/tile.png"\n', name="bad.toml")
    result = run_cli(str(bad))
    assert result.returncode == 1 and "2 problems" in result.stderr
    assert "[tiles] url: should contain {z}, {x} and {y}, like https://tile.example.org/{z}/{x}/{y}.png" in result.stderr
    assert "[tiles] attribution: is required: tile providers ask to be credited on the map" in result.stderr
    good = write(tmp_path, '[tiles]\nurl = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"\n'
                           'attribution = "© OpenStreetMap contributors"\n', name="good.toml")  # fmt: skip
    assert run_cli(str(good)).returncode == 0


def test_without_a_file_the_defaults_hold():
    assert config.load_settings({}) == Settings()


def test_the_file_wins_over_the_defaults(tmp_path):
    path = write(tmp_path, '[helplines]\ncountry = "ie"\n[area]\nunits = "mi"\n')
    settings = config.load_settings({"HELPMAP_CONFIG": str(path)})
    assert (settings.country, settings.units) == ("IE", "mi")
    assert settings.title == Settings().title  # what the file leaves out keeps its default


def test_environment_variables_win_over_the_file(tmp_path, data_file):
    path = write(tmp_path, '[helplines]\ncountry = "IE"\n[area]\nunits = "mi"\n[[sources]]\nlocation = "services.csv"\n')
    env = {"HELPMAP_CONFIG": str(path), "HELPMAP_COUNTRY": "au", "HELPMAP_UNITS": "km", "HELPMAP_DATA": "/srv/other.csv"}
    settings = config.load_settings(env)
    assert (settings.country, settings.units) == ("AU", "km")
    assert [s.location for s in settings.data_sources] == ["/srv/other.csv"]


def test_an_invalid_file_stops_loading_even_with_environment_overrides(tmp_path):
    path = write(tmp_path, '[area]\nunits = "leagues"\n')
    with pytest.raises(ConfigError):
        config.load_settings({"HELPMAP_CONFIG": str(path), "HELPMAP_UNITS": "km"})


def test_older_callers_can_still_give_sources_as_text():
    settings = Settings(data_sources=("a.csv", "https://example.org/b.csv"))
    assert settings.data_sources[0] == SourceSettings("a.csv")
    assert [str(s) for s in settings.data_sources] == ["a.csv", "https://example.org/b.csv"]


# --- the command line -------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpmap", "check-config", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=60)  # fmt: skip


def test_check_config_exits_0_for_the_example():
    result = run_cli("examples/site.toml")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_check_config_prints_every_problem_and_exits_1(tmp_path):
    path = write(tmp_path, '[site]\ntitel = "X"\n[area]\nunits = "miles"\n')
    result = run_cli(str(path))
    assert result.returncode == 1
    assert "2 problems" in result.stderr
    assert "unknown key 'titel' in [site]; did you mean 'title'?" in result.stderr
    assert "[area] units: 'miles' is not one of km, mi" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_config_exits_1_for_a_missing_file(tmp_path):
    result = run_cli(str(tmp_path / "missing.toml"))
    assert result.returncode == 1 and "there is no configuration file" in result.stderr


# --- units and help lines follow the data's country ---------------------------------------------


def test_the_default_data_is_the_us_directory_and_the_demo_is_beside_it():
    assert [Path(s.location) for s in Settings().data_sources] == [REPO / "data" / "us-samhsa-2021.csv"]
    assert config.DEMO_DATA == REPO / "data" / "demo-directory.csv" and config.DEMO_DATA.is_file()


def test_us_data_brings_miles_and_us_help_lines_when_the_site_says_nothing():
    settings = config.follow_data_country(config.load_settings({}), "US")
    assert (settings.units, settings.country) == ("mi", "US")
    assert settings.default_radius_km == pytest.approx(25 * 1.609344)  # 25 miles, a choice in the form
    canadian = config.follow_data_country(config.load_settings({}), "CA")
    assert (canadian.units, canadian.country, canadian.default_radius_km) == ("km", "CA", 25.0)


def test_mixed_or_unknown_data_changes_nothing():
    assert config.follow_data_country(Settings(), None) == Settings()
    assert config.follow_data_country(Settings(), "not a country") == Settings()


def test_what_the_site_chose_wins_over_the_data(tmp_path):
    path = write(tmp_path, '[helplines]\ncountry = "IE"\n[area]\nunits = "km"\nradius = 10\n')
    settings = config.follow_data_country(config.load_settings({"HELPMAP_CONFIG": str(path)}), "US")
    assert (settings.units, settings.country, settings.default_radius_km) == ("km", "IE", 10.0)
    only_units = config.follow_data_country(config.load_settings({"HELPMAP_UNITS": "km"}), "US")
    assert (only_units.units, only_units.country, only_units.default_radius_km) == ("km", "US", 25.0)
    only_country = config.follow_data_country(config.load_settings({"HELPMAP_COUNTRY": "gb"}), "US")
    assert (only_country.units, only_country.country) == ("mi", "GB")
