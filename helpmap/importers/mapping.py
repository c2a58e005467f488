"""The mapping core every importer shares: where each source field goes, and the honest report.

An importer declares a table FIELDS: source field -> Use. A field is either
  * mapped onto a schema column     (Column("phone")),
  * put into words a person reads   (Words("description: 'Location: ...'")),
  * read to decide something        (Used("attendance: online or not")), or
  * deliberately not carried        (NotCarried("an edit link for the feed's admins")).
A `FieldLedger` counts, for every field that appears in the source, how many rows had a
value. Fields the table does not know are counted as "not carried" too, so nothing is
dropped without a number. The ledger writes the same shape of report for every importer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..report import LoadReport, Rejection

MAPPED, WORDS, USED, NOT_CARRIED = "mapped", "words", "used", "not carried"


@dataclass(frozen=True)
class Use:
    how: str  # MAPPED | WORDS | USED | NOT_CARRIED
    target: str  # the column(s), or what the words or the decision are, or why not carried


def Column(target: str) -> Use:  # noqa: N802 - reads as a table entry
    return Use(MAPPED, target)


def Words(target: str) -> Use:  # noqa: N802
    return Use(WORDS, target)


def Used(target: str) -> Use:  # noqa: N802
    return Use(USED, target)


def NotCarried(why: str = "") -> Use:  # noqa: N802
    return Use(NOT_CARRIED, why)


UNKNOWN_FIELD = NotCarried("not a field this importer knows")


@dataclass(frozen=True)
class FieldUse:
    field: str
    rows: int  # rows that had a value
    how: str
    target: str

    def to_json(self) -> dict:
        return {"field": self.field, "rows": self.rows, "how": self.how, "target": self.target}


@dataclass
class ImportReport(LoadReport):
    """A LoadReport plus what an import needs to say: every source field's fate, rejections
    counted by reason, and notes such as a taxonomy mapping or rows left out of scope."""

    fields: list[FieldUse] = field(default_factory=list)
    rejected_by_reason: Counter = field(default_factory=Counter)
    left_out: Counter = field(default_factory=Counter)  # reason -> rows, not errors (out of scope ...)
    notes: list[str] = field(default_factory=list)

    def reject(self, line: int, reason: str, key: str | None = None) -> None:
        self.rejected.append(Rejection(line, reason))
        self.rejected_by_reason[key or reason] += 1

    def leave_out(self, reason: str, rows: int = 1) -> None:
        self.left_out[reason] += rows

    @property
    def not_carried(self) -> list[FieldUse]:
        return [use for use in self.fields if use.how == NOT_CARRIED and use.rows]

    def to_json(self) -> dict:
        data = super().to_json()
        data["rejected_by_reason"] = dict(self.rejected_by_reason)
        data["left_out"] = dict(self.left_out)
        data["fields"] = [use.to_json() for use in self.fields]
        data["not_carried"] = {use.field: use.rows for use in self.not_carried}
        data["notes"] = list(self.notes)
        return data

    def summary_lines(self) -> list[str]:
        lines = super().summary_lines()
        for reason, rows in self.left_out.most_common():
            lines.append(f"left out: {rows:,} {'row' if rows == 1 else 'rows'} {reason}")
        lines.extend(f"note: {note}" for note in self.notes)
        if self.fields:
            lines.append("Source fields (rows with a value -> where they went):")
            for use in self.fields:
                target = f": {use.target}" if use.target else ""
                lines.append(f"  {use.field} ({use.rows:,}) -> {use.how}{target}")
        return lines


class FieldLedger:
    """Counts the fields seen in a source and resolves each against the importer's table."""

    def __init__(self, table: dict[str, Use], prefix: str = "") -> None:
        self.table = table
        self.prefix = prefix  # "services.csv:" when one importer reads several tables
        self.rows: Counter = Counter()
        self.seen: dict[str, None] = {}

    def see_record(self, record: dict) -> None:
        """One JSON object: every key is seen; keys with a non-empty value count a row."""
        for key, value in record.items():
            name = str(key)
            self.seen.setdefault(name, None)
            if not _empty(value):
                self.rows[name] += 1

    def see_table(self, columns: list[str], non_empty: dict[str, int]) -> None:
        for name in columns:
            self.seen.setdefault(name, None)
            self.rows[name] += non_empty.get(name, 0)

    def uses(self) -> list[FieldUse]:
        return [
            FieldUse(self.prefix + name, self.rows[name], *_as_pair(self.table.get(name, UNKNOWN_FIELD)))
            for name in self.seen
        ]

    def report_to(self, report: LoadReport) -> None:
        if isinstance(report, ImportReport):
            report.fields.extend(self.uses())


def non_empty_counts(frame) -> dict[str, int]:
    """Cells with text, per column of a frame of text (pandas)."""
    return {str(c): int((frame[c].astype(str).str.strip() != "").sum()) for c in frame.columns if c != "_line"}


def _as_pair(use: Use) -> tuple[str, str]:
    return use.how, use.target


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False
