"""The contract between the modules: the one definition of every table's columns and
types, the reporting period, the region/tier/ledger constants and the finding codes.

Every other module imports these names; none re-declares them. Light on purpose (no
pandas), so that the runner and the reading workers can import it for free.

>>> p = Period.parse("2020-06")
>>> p.start, p.end, str(p), p.previous, p.last_year
(datetime.date(2020, 1, 1), datetime.date(2020, 6, 30), '2020-06', '2020-05', '2019-06')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- constants
CITY = "全市"  # the region value of the whole city's row (indicators, targets)
# the issued figures a run compares with (SPEC §13): written by bulletin.runner.issue
# into <processed>/<period>/, read by bulletin.report.revision
ISSUED_REFERENCE = "issued_reference.json"
UNKNOWN_REGION = "未识别县区"  # findings and accounting rows without a region
TIERS = ("provincial_key", "municipal_key", "industrial")
LEDGERS = ("signings", "activities", "projects", "targets")
LIGHTS = ("green", "yellow", "red")
# Every light word a city's bands may use (config rules.yaml lights.bands), best first;
# the default bands use LIGHTS.
LIGHT_COLOURS = ("blue", "green", "yellow", "orange", "red")
SEVERITIES = ("error", "warning", "info")
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
ERROR, WARNING, INFO = SEVERITIES

# The run's stages, in order: the three notebooks, then publishing (HTML, PDF, …).
STAGES = ("clean", "indicators", "bulletin", "publish")
NOTEBOOK_STAGES = ("clean", "indicators", "bulletin")  # notebooks/<stage>.ipynb
STAGE_LABELS = {"clean": "读取和清洗台账", "indicators": "计算指标", "bulletin": "生成通报", "publish": "发布"}

# --------------------------------------------------------------------------- period
_PERIOD = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period ``YYYY-MM``: the year to date, 1 January to the end of the
    month (SPEC §4). The only parser of period text in the package."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """``"2020-06"`` → ``Period(2020, 6)``; anything else (``2020-6``, ``2020-13``,
        a year outside 1900–2100) raises ValueError.

        >>> Period.parse("2020-13")
        Traceback (most recent call last):
        ...
        ValueError: period must be YYYY-MM (e.g. 2020-06), got '2020-13'
        """
        if isinstance(text, Period):
            return text
        m = _PERIOD.fullmatch(str(text).strip()) if text is not None else None
        if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2100:
            raise ValueError(f"period must be YYYY-MM (e.g. 2020-06), got {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def is_valid(cls, text: str) -> bool:
        try:
            cls.parse(text)
        except ValueError:
            return False
        return True

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def first_day(self) -> dt.date:
        """The first day of the period's month."""
        return dt.date(self.year, self.month, 1)

    @property
    def time_progress(self) -> float:
        """时序进度: month / 12."""
        return self.month / 12

    @property
    def previous(self) -> str | None:
        """The previous month of the same year (环比), or None for January."""
        return f"{self.year:04d}-{self.month - 1:02d}" if self.month > 1 else None

    @property
    def last_year(self) -> str:
        """The same month of last year (同比)."""
        return f"{self.year - 1:04d}-{self.month:02d}"

    def earlier_months(self) -> list[str]:
        """This year's months before this one, oldest first."""
        return [f"{self.year:04d}-{m:02d}" for m in range(1, self.month)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


# --------------------------------------------------------------------------- tables
# Processed tables (data/processed/<period>/*.csv): columns in order, and the kind of
# each column, which decides its type when a table is read back (bulletin.store.typed):
#   text → str (as the ledger had it); money → float (万元); count → Int64;
#   date → datetime64; bool → nullable boolean.
LINEAGE = ["source_file", "source_sheet", "source_row"]
RECORD_COLUMNS = {
    "signings": [
        "region",
        "project",
        "investor",
        "origin",
        "out_of_province",
        "chain",
        "chain_raw",
        "signed_on",
        "amount",
        "mode",
        "online",
        "funds_in_place",
    ],
    "activities": ["region", "held_on", "kind", "leader", "place", "companies", "leads", "online"],
    "projects": [
        "region",
        "project",
        "tier",
        "chain",
        "chain_raw",
        "total_investment",
        "planned_investment",
        "completed_investment",
        "status",
        "started",
        "started_on",
        "in_statistics",
        "lead",
        "progress",
        "problems",
    ],
    "targets": ["region", "signed_amount_target", "signed_projects_target", "funds_in_place_target"],
}
FINDING_COLUMNS = [
    "severity",
    "ledger",
    "region",
    "source_file",
    "source_sheet",
    "source_row",
    "field",
    "value",
    "message",
    "code",
]
ACCOUNTING_COLUMNS = [
    "source_file",
    "source_sheet",
    "ledger",
    "region",
    "rows_read",
    "records",
    "total_note_rows",
    "rejected_rows",
    "blank_rows",
    "header_rows",
]
ACCOUNTING_COUNTS = ACCOUNTING_COLUMNS[4:]
SKIPPED_COLUMNS = ["source_file", "source_sheet", "reason"]
# reading.csv: how each table of each sheet was read (SPEC §8.7), one line per topic
# (台账类型, 表头, 列, 县区, 项目类别, 金额单位, 分组行, 数据行, 设定), in Chinese
EXPLAIN_COLUMNS = ["source_file", "source_sheet", "region", "ledger", "topic", "column", "detail"]
INDICATOR_COLUMNS = ["period", "region", "indicator", "value"]
BREAKDOWN_COLUMNS = ["period", "region", "dimension", "key", "indicator", "value"]
# breakdowns.csv (SPEC §9): dimension → its indicators, in order
BREAKDOWNS = {
    "chain": ("signed_projects", "signed_amount"),
    "origin_area": ("signed_projects", "signed_amount"),
    "leader": ("projects", "started", "start_rate"),
}

# How a region reported its funds in place (到位资金), from its signed_projects and
# funds_in_place_filled: every counted signing has a figure, some, none (no column or
# left blank), nothing counted, or no signings ledger (the headline is empty).
FUNDS_STATUSES = ("filled", "partial", "not_filled", "no_signings", "not_submitted")


def funds_status(signed_projects: float | None, filled: float | None) -> str:
    """One of :data:`FUNDS_STATUSES` (``None`` or NaN: empty).

    >>> [funds_status(*x) for x in ((2, 2), (2, 1), (2, 0), (1, None), (0, 0), (None, None))]
    ['filled', 'partial', 'not_filled', 'not_filled', 'no_signings', 'not_submitted']
    """
    if signed_projects is None or signed_projects != signed_projects:
        return "not_submitted"
    if signed_projects == 0:
        return "no_signings"
    if filled is None or filled != filled or filled == 0:
        return "not_filled"
    return "filled" if filled >= signed_projects else "partial"


# The submission register (SPEC §7, submissions.csv): for every region of the registry
# and every ledger type, whether the region submitted it this month. One row per
# region × ledger × file: a submitted type lists each file it came from (``records``:
# the region's records of that type in the file); an unreadable one each file that
# could not be read (``reason``: why); a type not submitted one row without a file.
SUBMITTED_LEDGERS = ("signings", "activities", "projects")  # carry <ledger>_submitted
SUBMISSION_STATUSES = ("submitted", "not_submitted", "unreadable", "not_this_period", "region_conflict", "not_updated")
# SPEC §11.7/§11.9 (bulletin.ledgers.file_status): not_this_period — the only files of
# the type are not this period's; region_conflict — its file names two counties;
# not_updated — every file of the type is byte-identical to last month's (figures kept).
PUBLISHED_STATUSES = ("submitted", "not_updated")  # the region's figures of the type are published
# The fields of a targets row, one of which must be filled (else target.missing).
TARGET_FIELDS = ("signed_amount_target", "signed_projects_target", "funds_in_place_target")
# ``missing``: for a submitted file, the columns an indicator needs that its table of
# that type lacks (``;``-joined keys of bulletin.ledgers.columns.NEEDED: origin, status,
# completed_investment, in_statistics, leads): the county's indicators that need them
# are empty (SPEC §12).
SUBMISSION_COLUMNS = ["region", "ledger", "status", "source_file", "records", "reason", "missing"]

COLUMN_KINDS = {
    **dict.fromkeys(("signed_on", "held_on", "started_on"), "date"),
    **dict.fromkeys(("out_of_province", "online", "started", "in_statistics"), "bool"),
    **dict.fromkeys(
        ("amount", "total_investment", "planned_investment", "completed_investment", "signed_amount_target"), "money"
    ),
    "funds_in_place": "money",
    "funds_in_place_target": "money",
    **dict.fromkeys(("leads", "signed_projects_target", "source_row", *ACCOUNTING_COUNTS), "count"),
}


# --------------------------------------------------------------------------- findings
# Every finding (a row of quality.csv) carries one of these stable codes beside its
# Chinese message: tests and tools match codes, never message text. Add a code here
# when a new check is written; bulletin.ledgers refuses an unregistered one.
FINDING_CODES = {
    # files and sheets (bulletin.read)
    "file.empty": "the file has 0 bytes",
    "file.too_large": "the file, or its unpacked content, exceeds the size limit",
    "file.zip_bomb": "an entry of the zip container is compressed beyond the allowed ratio",
    "file.encrypted": "the workbook has a password (or is an OLE file calamine cannot open)",
    "file.corrupt": "the file cannot be opened as a workbook",
    "file.not_table": "an HTML-like file holds no table",
    "file.not_excel": "the content is neither a workbook, HTML nor CSV",
    "sheet.unreadable": "one sheet of an open workbook cannot be read",
    "sheet.truncated": "the sheet is longer than the row limit; the rest was not read",
    "sheet.too_large": "the sheet's cells span more than the cell limit; it was not read",
    "sheet.failed": "reading or normalising one sheet raised; the sheet was not counted",
    "file.failed": "reading or normalising the file raised; the file was not counted",
    "file.resources": "reading the file needed more memory or time than allowed; not read",
    "file.unsupported_format": "a workbook format the pipeline cannot read (xlsb, …)",
    "file.io_error": "the operating system could not read the file (permissions, I/O)",
    "file.duplicate_copy": "byte-identical to another file of the month: read once",
    "file.same_as_last_month": "byte-identical to a file of the previous month's snapshot",
    "cell.too_long": "a cell longer than Excel's 32,767 characters; the rest was cut",
    "text.control_chars": "control characters or bidi overrides removed from a cell or name",
    # layout (bulletin.ledgers.locate)
    "header.ambiguous": "two columns map to one field: the field is read from neither (SPEC §8.2)",
    "header.month_detail_only": "a field only as month-by-month columns, no year-to-date column: not read",
    "column.missing": "a column an indicator needs (status, completed, 入统, origin) is not in the table: "
    "the county's indicators that need it are empty (SPEC §12)",
    "layout.override": "the sheet was read as pinned in layouts.yaml (SPEC §8.6)",
    "layout.invalid": "a layouts.yaml entry that matches the file names an unknown field, ledger, column…",
    "unit.default": "a money column carries no unit anywhere; 万元 was assumed",
    "unit.conflict": "header and 单位 line name different units; the one whose median is plausible was used",
    "unit.magnitude": "a money column without unit far outside the plausible range: read in the unit that fits",
    "unit.unresolved": "a money column's unit cannot be told by magnitude: the column is not read",
    # cells (bulletin.ledgers.normalise)
    "amount.not_number": "a money cell holds a yes/no value",
    "amount.text": "a money cell holds text that is not a number",
    "amount.invalid": "a money cell is not a finite number",
    "amount.negative": "a money cell is negative",
    "amount.too_large": "a money cell exceeds the sane bound (limits.max_amount 万元)",
    "amount.decimal_comma": "a comma that is no thousands separator (6,36亿, 1,5): not read",
    "amount.scale_outlier": "a value 1,000 times its column's median or more (plausible.scale_outlier)",
    "amount.unit_unresolved": "the row's money column is not read (unit.unresolved): a required field rejects it",
    "count.too_large": "a count cell exceeds the sane bound (limits.max_count)",
    "count.not_integer": "a count cell is not a whole number",
    "count.invalid": "a count cell is negative or fractional",
    "date.invalid": "a date cell cannot be read as a date",
    "yesno.invalid": "a yes/no cell is neither yes nor no",
    "status.blank": "a project has no start status; counted as not started",
    "origin.blank": "a signing has no investor origin; counted as in-province",
    "origin.unknown": "an investor origin names no known place; counted as in-province",
    "out_of_province.invalid": "the 是否省外 cell is neither yes nor no",
    "cell.formula_without_value": "a formula cell saved without its computed value",
    "cell.error_value": "a cell holds an Excel error value (#DIV/0! …)",
    "tier.unknown": "a project's tier names none of the three tiers",
    # rows (bulletin.ledgers.sheet)
    "required.missing": "a required field is empty: the row is rejected",
    "target.missing": "a targets row has no target value: the row is rejected",
    "region.unknown_fallback": "the region cell names no known region; the title's region was used",
    "region.unknown": "the region cell names no known region: the row is rejected",
    "region.missing": "no region anywhere (column, title, file name): the row is rejected",
    "project.completed_over_planned": "completed investment exceeds the year's planned investment",
    "date.after_period": "a dated record after the period's end, not counted this period",
    "date.before_year": "a dated record before 1 January of the period's year, not counted",
    "total.mismatch": "a total row disagrees with the sum of the rows it totals",
    "row.hidden": "a record's row is hidden or filtered out: counted, the county confirms",
    "row.struck": "every text cell of a record's row is struck through: counted, the county confirms",
    "row.shifted_fields": "a CSV row with more fields than its header (an unquoted comma): rejected",
    "signing.in_province": "an in-province signing in a ledger titled out-of-province",
    # across files (bulletin.ledgers.snapshot)
    "project.duplicate": "the same project reported in two places",
    "record.duplicate_file": "the same record, same figures, in two files: counted once",
    "record.conflict": "the same record with different figures in two files: the last file's row counts",
    # which file is this period's, whose it is, which version counts (SPEC §11.7-11.9)
    "file.other_period": "the file name or title declares another period: the sheet's records are not counted",
    "ledger.other_year": "no dated record of the sheet falls in the reporting year: not counted",
    "file.region_conflict": "file name, title or rows name different counties: the rows are credited to none",
    "file.region_other_rows": "rows of a county's file name another county: those rows are not counted",
    "file.version_superseded": "an older version of a ledger beside a newer one: only the newer counts",
    "target.duplicate_region": "two rows for one county in one targets table: no target for that county",
}


def column_kind(column: str) -> str:
    """``text``, ``money``, ``count``, ``date`` or ``bool``.

    >>> column_kind("amount"), column_kind("leads"), column_kind("project")
    ('money', 'count', 'text')
    """
    return COLUMN_KINDS.get(column, "text")
