"""Problems found in the input, and the exceptions and warnings that carry them."""

from __future__ import annotations

from dataclasses import dataclass


class PlannerWarning(UserWarning):
    """A legal but suspicious input, or a choice the planner made for the user."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in the input, located as a planner would look for it.

    ``row`` is the row number as Excel shows it (the header is row 1); ``None`` when the problem is
    about a whole sheet or setting rather than one row.
    """

    sheet: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", {self.column}"
        if self.value is None or self.value == "":
            return f"{where}: {self.expected}"
        return f'{where}: "{_show(self.value)}" {self.expected}'


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class PlannerError(Exception):
    """Base of the errors the planner reports to its user as a message, never as a traceback."""


class InputError(PlannerError):
    """The input cannot be planned: every problem found, reported together."""

    def __init__(self, problems: list[Problem], source: str = "input") -> None:
        self.problems = sorted(problems, key=lambda p: (p.sheet, p.row or 0, p.column or ""))
        self.source = source
        lines = [f"{source}: {len(self.problems)} problem(s) found"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class UnreadableFileError(PlannerError):
    """The file is not a workbook the planner can open (wrong format, damaged, encrypted, hostile)."""
