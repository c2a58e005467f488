"""What loading or importing a directory found: rows kept, rows rejected and why, warnings.

Messages are written for the person who maintains the data, not for programmers:
"line 14: latitude 191.2 is outside -90 to 90".
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Exit codes shared by `validate` and `import`.
EXIT_ALL_VALID = 0
EXIT_SOME_REJECTED = 1
EXIT_UNUSABLE = 2


@dataclass(frozen=True)
class Rejection:
    line: int  # 1-based line number in the source file (the header is line 1); 0 when unknown
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass
class LoadReport:
    loaded: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Set when the file as a whole cannot be used (not a CSV, missing columns, no usable rows).
    fatal: str | None = None

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append(Rejection(line, reason))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @property
    def exit_code(self) -> int:
        if self.fatal or self.loaded == 0:
            return EXIT_UNUSABLE
        return EXIT_SOME_REJECTED if self.rejected else EXIT_ALL_VALID

    def to_json(self) -> dict:
        data = {
            "loaded": self.loaded,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
            "warnings": list(self.warnings),
        }
        if self.fatal:
            data["error"] = self.fatal
        return data

    def summary_lines(self) -> list[str]:
        """Readable lines for the terminal or the page."""
        lines = []
        if self.fatal:
            lines.append(f"This file cannot be used: {self.fatal}")
        lines.append(f"{self.loaded} rows loaded, {len(self.rejected)} rejected.")
        lines.extend(str(r) for r in self.rejected)
        lines.extend(f"warning: {w}" for w in self.warnings)
        return lines
