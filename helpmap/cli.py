"""`python -m helpmap COMMAND`: the command line mirrors the library.

The commands and their options are interfaces other tools rely on: keep them stable.
Each command's work lives in the module it belongs to; this file only reads arguments.
"""

from __future__ import annotations

import argparse
import json
import sys

from .i18n import LANGUAGES


def main(argv: list[str] | None = None) -> int:
    from .geocoding.command import protect_dash_queries  # "-33.86,151.21" is a place, not an option

    parser = build_parser()
    args = parser.parse_args(protect_dash_queries(sys.argv[1:] if argv is None else list(argv)))
    try:
        return args.run(args)
    except (MemoryError, RecursionError) as error:  # a hostile file: one line, not a traceback
        what = "too large" if isinstance(error, MemoryError) else "nested too deeply"
        print(f"helpmap {args.command}: the input is {what} to be read.", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpmap", description="HelpMap command line.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a directory CSV and report every problem")
    validate.add_argument("path", help="a file path or an http(s) URL")
    validate.add_argument("--json", action="store_true", help="print one JSON object")
    validate.set_defaults(run=run_validate)

    convert = commands.add_parser("import", help="convert another format into a HelpMap directory CSV")
    convert.add_argument("format", help="samhsa, meeting-guide, bmlt, hsds or csv (any spreadsheet, with --kind)")
    convert.add_argument("src", help="the file (or HSDS folder, or BMLT root server URL) to convert")
    convert.add_argument("-o", "--output", required=True, help="the CSV to write")
    convert.add_argument("--json", action="store_true", help="print the report as one JSON object")
    convert.add_argument("--as-of", help="samhsa: the date the data is from (YYYY-MM-DD), for last_verified")
    convert.add_argument("--mental-health", action="store_true",
                         help="samhsa: keep mental-health-only facilities (service mental_health)")  # fmt: skip
    convert.add_argument("--formats", help="bmlt: a GetFormats JSON file (or URL) that names the format codes")
    convert.add_argument("--kind", help="csv: the kind of every row (treatment, support_group, harm_reduction, helpline)")
    convert.add_argument("--timezone", help="meeting-guide, bmlt: the zone for meetings with no place (IANA name)")
    convert.set_defaults(run=run_import)

    geocode = commands.add_parser("geocode", help="turn place names, postcodes or coordinates into points")
    geocode.add_argument("queries", nargs="+", metavar="QUERY")
    geocode.add_argument("--offline", action="store_true", help="never use an online geocoder")
    geocode.add_argument("--json", action="store_true", help="one JSON object per query per line")
    geocode.set_defaults(run=run_geocode)

    search = commands.add_parser("search", help="the nearest services to a place")
    search.add_argument("--near", required=True, help="a place, postcode or 'lat, lon'")
    search.add_argument("--data", required=True, help="a directory CSV (path or URL)")
    search.add_argument("--radius-km", type=float, default=25.0)
    search.add_argument("--kind", choices=["treatment", "support_group", "harm_reduction", "helpline"])
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help="print a JSON list of objects")
    search.set_defaults(run=run_search)

    check_config = commands.add_parser("check-config", help="check a site configuration file (TOML)")
    check_config.add_argument("path", help="the site configuration file, like examples/site.toml")
    check_config.set_defaults(run=run_check_config)

    referral = commands.add_parser("referral", help="a referral sheet (HTML), CSV or calendar for chosen services")
    referral.add_argument("--data", required=True, help="a directory CSV (path or URL)")
    referral.add_argument("--ids", required=True, action="append", help="service ids from the id column, comma-separated")
    referral.add_argument("--format", required=True, choices=["csv", "html", "ics"])
    referral.add_argument("-o", "--output", required=True, help="the file to write ('-' for standard output)")
    referral.add_argument("--lang", default="en", choices=sorted(LANGUAGES),
                          help="the language of the sheet, CSV headers and calendar text (default en)")
    referral.set_defaults(run=run_referral)

    serve = commands.add_parser("serve", help="several app replicas behind nginx on this machine")
    serve.add_argument("--replicas", type=int, default=2, help="Streamlit processes (about one per core)")
    serve.add_argument("--port", type=int, default=8080, help="the port nginx listens on")
    serve.add_argument("--address", default="127.0.0.1", help="the address nginx listens on (default loopback)")
    serve.set_defaults(run=run_serve)
    return parser


def run_validate(args: argparse.Namespace) -> int:
    from .directory import load

    directory = load(args.path)
    _print_report(directory.report, args.json)
    return directory.report.exit_code


def run_import(args: argparse.Namespace) -> int:
    from .importers import run_import as convert

    options = {"as_of": args.as_of, "mental_health": args.mental_health, "formats": args.formats,
               "default_timezone": args.timezone, "kind": args.kind}  # fmt: skip
    report = convert(args.format, args.src, args.output, **options)
    _print_report(report, args.json)
    return report.exit_code


def run_geocode(args: argparse.Namespace) -> int:
    from .geocode import run_cli

    return run_cli(args.queries, offline=args.offline, as_json=args.json)


def run_search(args: argparse.Namespace) -> int:
    from .search import run_cli

    return run_cli(args)


def run_check_config(args: argparse.Namespace) -> int:
    from .config import run_check

    return run_check(args.path)


def run_referral(args: argparse.Namespace) -> int:
    from .referral import run_cli

    return run_cli(args)


def run_serve(args: argparse.Namespace) -> int:
    from .serve import run_cli

    return run_cli(args)


def _print_report(report, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return
    stream = sys.stdout if report.exit_code == 0 else sys.stderr
    for line in report.summary_lines():
        print(line, file=stream)
