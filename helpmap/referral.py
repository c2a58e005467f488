"""Referrals: the services a caseworker chose, by id, with a share link, the help lines to go
with them, the CSV export and the command line. The printable sheet is in `referral_sheet`, the
calendar file in `ics`, and what every output says about a service in `referral_facts`.

Privacy: everything here is computed in memory from the directory and what the caseworker
typed, and handed straight back; nothing is written to disk (except by the CLI, to the file it
is asked for) or logged. The share link carries service ids only, never notes or a place.

Safety: the CSV neutralises cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import helplines
from .i18n import N_, translator
from .ics import ics_text, meeting_rows
from .links import plain
from .referral_facts import Referral, facts
from .referral_sheet import sheet_html

MAX_IDS = 50  # a share link or a sheet longer than this is a mistake, not a referral


# --- choosing services -------------------------------------------------------------------


def unknown_message(ids: Sequence[str], lang: str = "en") -> str:
    """A sentence naming the ids (the first ten) that the directory does not have."""
    tr = translator(lang)
    shown = ", ".join(f"'{plain(i)[:80]}'" for i in ids[:10])
    if len(ids) == 1:
        return tr.gettext(N_("No service with the id {id} is in this directory (it may have been removed or renamed)."
                             )).format(id=shown)  # fmt: skip
    if len(ids) > 10:
        more = len(ids) - 10
        return tr.ngettext(
            "These ids are not in this directory (they may have been removed or renamed): {ids} and {more} more.",
            "These ids are not in this directory (they may have been removed or renamed): {ids} and {more} more.",
            more,
        ).format(ids=shown, more=more)
    return tr.gettext(N_("These ids are not in this directory (they may have been removed or renamed): {ids}."
                         )).format(ids=shown)  # fmt: skip


def parse_ids(values: str | Iterable[str]) -> list[str]:
    """'a, b,a' or ['a,b', 'c'] -> ['a', 'b', 'c']: split on commas, trimmed, first copy kept."""
    if isinstance(values, str):
        values = [values]
    ids: list[str] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in ids:
                ids.append(part)
    return ids[:MAX_IDS]


@dataclass(frozen=True)
class Resolved:
    rows: pd.DataFrame  # the known services, in the order asked for
    unknown: tuple[str, ...]


def resolve(frame: pd.DataFrame, ids: Sequence[str]) -> Resolved:
    by_id = frame.drop_duplicates("id").set_index("id", drop=False)
    known = [i for i in ids if i in by_id.index]
    unknown = tuple(i for i in ids if i not in by_id.index)
    return Resolved(by_id.loc[known].reset_index(drop=True), unknown)


def share_query(ids: Sequence[str]) -> str:
    """The query string of a share link: service ids only. Commas stay readable."""
    return urllib.parse.urlencode({"ids": ",".join(ids)}, safe=",")


def share_url(page_url: str, ids: Sequence[str]) -> str:
    """`page_url` with its query replaced by the ids (anything else in it is dropped)."""
    parts = urllib.parse.urlsplit(page_url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, share_query(ids), ""))


# --- help lines --------------------------------------------------------------------------


def countries(rows: pd.DataFrame, fallback: str) -> list[str]:
    """The countries whose help lines belong on the sheet: the services' own, most common first."""
    # Counted > 0: a categorical column also lists the values no chosen row has.
    counts = rows["country"].value_counts() if len(rows) else {}
    found = [str(c).upper() for c, n in counts.items() if c and n]
    return found or [fallback.upper()]


def helplines_for(
    codes: Sequence[str], default_country: str, path: str | Path
) -> dict[str, list[helplines.HelpLine]]:
    """Each country's verified help lines; the site's default country's when none of the
    services' countries has any (better some real lines than none on a printed sheet)."""
    every = helplines.load(path)
    found = {code: lines for code in dict.fromkeys(helplines.normalise_country(c) for c in codes)
             if (lines := helplines.lines_for(code, every))}  # fmt: skip
    if not found:
        code, lines = helplines.resolve(None, default_country, path)
        found = {code: lines} if lines else {}
    return found


# --- the CSV -----------------------------------------------------------------------------

CSV_COLUMNS = ("position", "name", "kind", "organization", "where", "area_only", "phone", "phone_link", "when",
               "next_meeting", "online", "website", "directions", "cost", "services", "languages", "access",
               "last_checked", "note", "id")  # fmt: skip
# The header a reader sees, per column (English: the column names themselves, as ever).
CSV_HEADINGS = {
    "position": N_("position"), "name": N_("name"), "kind": N_("kind"), "organization": N_("organization"),
    "where": N_("where"), "area_only": N_("area_only"), "phone": N_("phone"), "phone_link": N_("phone_link"),
    "when": N_("when"), "next_meeting": N_("next_meeting"), "online": N_("online"), "website": N_("website"),
    "directions": N_("directions"), "cost": N_("cost"), "services": N_("services"), "languages": N_("languages"),
    "access": N_("access"), "last_checked": N_("last_checked"), "note": N_("note"), "id": N_("id"),
}  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# "+44 113 496 0143": only dialling characters after the country code.
_INTERNATIONAL_PHONE = re.compile(
    r"^\+(\d{1,3})[\s.\-]+([\d\s.\-()]+(?:\s*(?:ext\.?|x)\s*\d+)?)$", re.IGNORECASE
)


def neutralise(cell: object) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ tab or CR gets a leading
    single quote, so it can never run as a formula (OWASP's CSV injection advice)."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_phone(phone: str) -> str:
    """A phone number that stays dialable in a spreadsheet. "+44 113 496 0143" is written as
    "(+44) 113 496 0143": nothing leads with "+", so no spreadsheet reads it as a formula, and
    phones and people dial it as it stands. Anything else goes through neutralise()."""
    match = _INTERNATIONAL_PHONE.match(phone.strip())
    if match:
        return f"(+{match.group(1)}) {match.group(2).strip()}"
    return neutralise(phone)


def csv_bytes(referral: Referral) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents and dashes correctly."""
    _ = translator(referral.lang).gettext
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(_(CSV_HEADINGS[column])) for column in CSV_COLUMNS])
    yes, no = _(N_("yes")), _(N_("no"))
    for position, (_, row) in enumerate(referral.rows.iterrows(), 1):
        item = facts(row, referral)
        next_meeting = (
            item.next_meeting.strftime("%Y-%m-%d %H:%M") + f" ({row['timezone']})"
            if item.next_meeting
            else ""
        )
        when = "; ".join(f"{label} {text}" for label, text in item.when)
        values = [str(position), item.name, item.kind, item.organization, item.where,
                  yes if item.area_only else no, csv_phone(item.phone), item.phone_href or "", when,
                  next_meeting, item.online_url or "", item.website or "", item.directions or "", item.cost,
                  item.services, item.languages, item.access, item.last_verified, item.note, item.id]  # fmt: skip
        # The phone column is already safe (see csv_phone); every other cell is neutralised.
        writer.writerow(
            [value if column == "phone" else neutralise(value) for column, value in zip(CSV_COLUMNS, values)]
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


# --- the command line --------------------------------------------------------------------


def run_cli(args) -> int:
    """`python -m helpmap referral --data PATH --ids A,B --format csv|html|ics -o OUT`.

    Exit codes: 0 written; 1 unknown ids, no meetings for a calendar, or the output cannot be
    written; 2 the directory cannot be used."""
    from .config import ConfigError, load_settings
    from .directory import load

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: the site configuration cannot be used: {error}", file=sys.stderr)
        return 2
    directory = load(args.data)
    if directory.report.fatal:
        print(f"error: the directory cannot be used: {directory.report.fatal}", file=sys.stderr)
        return 2
    ids = parse_ids(args.ids)
    if not ids:
        print("error: give at least one service id with --ids", file=sys.stderr)
        return 1
    resolved = resolve(directory.frame, ids)
    if resolved.unknown:
        print(f"error: {unknown_message(resolved.unknown)}", file=sys.stderr)
        return 1
    referral = Referral(
        rows=resolved.rows,
        title=settings.title,
        directions_url=settings.directions_url,
        helplines=helplines_for(
            countries(resolved.rows, settings.country), settings.country, settings.helplines
        ),
        lang=getattr(args, "lang", "en"),  # messages on stderr stay English: they are for whoever runs it
    )
    if args.format == "ics" and not len(meeting_rows(referral.rows)):
        print("error: none of these services has a weekly meeting time and time zone, so there is "
              "nothing to put in a calendar.", file=sys.stderr)  # fmt: skip
        return 1
    content = render(referral, args.format)
    return _write(content, args.output)


def render(referral: Referral, output_format: str) -> bytes:
    if output_format == "csv":
        return csv_bytes(referral)
    if output_format == "ics":
        return ics_text(referral).encode("utf-8")
    return sheet_html(referral).encode("utf-8")


def _write(content: bytes, output: str) -> int:
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(output).write_bytes(content)
    except OSError as error:
        print(f"error: could not write {output}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
