"""Finding construction: one row of quality.csv (SPEC §5) per thing a county must
know about its ledger, with a stable code from the findings catalogue
(:mod:`bulletin.findings_catalogue`: severity, Chinese message, English title) and the
values its message names (the row's file, sheet, row and field are columns of the
finding). :class:`Finding` is the one constructor of the package."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import InitVar, dataclass

from bulletin.contract import ERROR, FINDING_COLUMNS, WARNING
from bulletin.findings_catalogue import FIELD_PREFIX, NOTES, entry, message, render, severity_of
from bulletin.ledgers.normalise import Problem, show
from bulletin.read.grid import Grid


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One finding. ``severity`` defaults to the catalogue's; a call may choose the
    code's second severity only where the catalogue declares one (``Entry.also``).
    ``where``: a :class:`~bulletin.read.grid.Grid`, a sheet's facts or a (file, sheet)
    pair, for ``source_file`` and ``source_sheet``. ``quote``: the value is shown as a
    message quotes it (:func:`~bulletin.ledgers.normalise.show`: no scientific
    notation, at most 40 characters), else as given (a name already shown).
    ``prefix``: the field's name leads the message; ``note``: what happened to the row
    (a key of :data:`bulletin.findings_catalogue.NOTES`).

    >>> f = Finding(code="amount.negative", ledger="signings", region="宝清县", where=("a.xlsx", "Sheet1"),
    ...             source_row=4, field="签约额", value=-5.0, params={"label": "签约额", "value": "-5"})
    >>> f.severity, f.row()["message"], f.row()["value"], f.row()["source_sheet"]
    ('error', '签约额“-5”为负数，请核实', '-5', 'Sheet1')
    """

    code: str
    ledger: str = ""
    region: str | None = ""
    source_file: str = ""
    source_sheet: str = ""
    source_row: object = None
    field: str = ""
    value: object = None
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)  # `field` is a column here
    variant: str = ""
    severity: str = ""
    prefix: bool = False
    note: str = ""
    quote: bool = True
    where: InitVar[object] = None

    def __post_init__(self, where) -> None:
        set_ = object.__setattr__
        set_(self, "severity", severity_of(self.code, self.severity))
        if self.variant and self.variant not in entry(self.code).variants:
            raise KeyError(f"{self.code} has no variant {self.variant!r}")
        if self.note and self.note not in NOTES:
            raise KeyError(f"unknown note {self.note!r}")
        if where.__class__ is tuple:
            set_(self, "source_file", where[0])
            set_(self, "source_sheet", where[1])
        elif where is not None:  # a Grid (.sheet) or a SheetFacts (.source_sheet)
            set_(self, "source_file", where.source_file)
            set_(self, "source_sheet", where.sheet if isinstance(where, Grid) else where.source_sheet)

    @property
    def message(self) -> str:
        text = message(self.code, self.params, self.variant)
        if self.prefix:
            text = render(FIELD_PREFIX, {"field": self.field}) + text
        if self.note:
            text += render(NOTES[self.note], {"field": self.field})
        return text

    def row(self) -> dict:
        """The row of quality.csv (:data:`bulletin.contract.FINDING_COLUMNS`)."""
        value = self.value
        shown = "" if value is None else show(value) if self.quote else value
        return {  # in the order of FINDING_COLUMNS (checked below)
            "severity": self.severity,
            "ledger": self.ledger,
            "region": self.region or "",
            "source_file": self.source_file,
            "source_sheet": self.source_sheet,
            "source_row": "" if self.source_row is None else self.source_row,
            "field": self.field,
            "value": shown,
            "message": self.message,
            "code": self.code,
        }


assert list(Finding(code="file.empty").row()) == FINDING_COLUMNS


def field_finding(problem: Problem, *, required: bool, ledger: str, region, grid, row: int, label: str, raw):
    """A field's problem as a finding naming the column as the county wrote it, and
    whether it rejects the row: an error in a required field rejects it; an error in an
    optional field empties the field, with a warning.

    >>> grid = Grid("宝清县.xlsx", "Sheet1", [])
    >>> f, fatal = field_finding(Problem("amount.negative", {"label": "金额", "value": "-5"}), required=False,
    ...                          ledger="signings", region="宝清县", grid=grid, row=4, label="签约额", raw=-5)
    >>> fatal, f["severity"], f["message"], f["code"]
    (False, 'warning', '签约额“-5”为负数，请核实；该项按空值处理', 'amount.negative')
    """
    params = {**problem.params, "label": label}  # name the column as the county wrote it
    prefix = not message(problem.code, params, problem.variant).startswith(label)
    severity, note, fatal = problem.severity, "", False
    if severity == ERROR:
        fatal = required
        severity, note = (ERROR, "rejected") if required else (WARNING, "emptied")
    found = Finding(
        code=problem.code,
        severity=severity,
        ledger=ledger,
        region=region,
        where=grid,
        source_row=row,
        field=label,
        value=raw,
        params=params,
        variant=problem.variant,
        prefix=prefix,
        note=note,
    )
    return found.row(), fatal


def required_unread(found: dict) -> None:
    """A field's warning (a value written but not understood: 待定, abc) in a required
    field that read nothing: it becomes the error that rejects the row, said once (the
    catalogue declares the error as the code's second severity)."""
    found.update(
        severity=severity_of(found["code"], ERROR),
        message=found["message"] + render(NOTES["required"], {"field": found["field"]}),
    )


def unreadable_problem(hidden: str) -> Problem:
    """What a field's cell that reads as empty really holds: a formula saved without
    its result, or an Excel error value."""
    code = "cell.formula_without_value" if hidden.startswith("=") else "cell.error_value"
    return Problem(code, {"value": show(hidden)})


def tier_problem(raw, both: bool = False) -> Problem:
    """``both``: the cell names the provincial and the municipal list at once."""
    return Problem("tier.unknown", {"value": show(raw)}, "both" if both else "")
