"""The contract between the modules: the one definition of every table's columns and
types, the reporting period, the region/tier/ledger constants (the finding codes are
the findings catalogue, :mod:`bulletin.findings_catalogue`).

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
# Every finding (a row of quality.csv) carries a stable code beside its Chinese message:
# the codes, their severities, messages and English titles are the findings catalogue,
# bulletin.findings_catalogue (CATALOGUE; FINDING_CODES: code → title).


def column_kind(column: str) -> str:
    """``text``, ``money``, ``count``, ``date`` or ``bool``.

    >>> column_kind("amount"), column_kind("leads"), column_kind("project")
    ('money', 'count', 'text')
    """
    return COLUMN_KINDS.get(column, "text")
