"""The row-by-row reading of a located sheet: the oracle the package's column-wise
parser (``bulletin.ledgers.parser.Parser``) is tested against.

This is the reference implementation of the ledger rules as they read most plainly —
one data row at a time, in the order a statistician checks a row: its region, each
field in the plan's order, the derived fields (tier, started, out of province,
online, chain), the required fields, the targets rule, then the statistician's own
checks. The package never runs it; tests/test_fast_path.py proves that the column-wise
parser gives exactly the same records, findings (in the same order, with the same
codes and messages) and unit bookkeeping, on the sample ledgers and on random grids.
"""

from __future__ import annotations

from typing import NamedTuple

from bulletin.config import Config
from bulletin.contract import CITY, ERROR, INFO, RECORD_COLUMNS, WARNING, Period
from bulletin.ledgers import normalise as N
from bulletin.ledgers.columns import planned_starts
from bulletin.ledgers.dates import parse_date
from bulletin.ledgers.locate import Layout
from bulletin.ledgers.normalise import kind_of_first_text
from bulletin.ledgers.parser import as_text, fallback_phrase
from bulletin.ledgers.rows import first_text, total_label
from bulletin.ledgers.status import parse_started
from bulletin.read.workbook import Grid


class Said(NamedTuple):
    """A problem as the oracle words it (the package's come from its catalogue)."""

    severity: str
    message: str
    code: str


def finding(code, severity, ledger, region, grid: Grid, row, field_name, value, message) -> dict:
    """A row of quality.csv, built here as plainly as it reads."""
    return {
        "severity": severity,
        "ledger": ledger,
        "region": region or "",
        "source_file": grid.source_file,
        "source_sheet": grid.sheet,
        "source_row": row if row is not None else "",
        "field": field_name,
        "value": "" if value is None else N.show(value),
        "message": message,
        "code": code,
    }


def row_kind(raw: list, layout: Layout, cfg: Config) -> str:
    """``blank``, ``total``, ``note`` or ``data`` of one row."""
    if all(v is None for v in raw):
        return "blank"
    kind = kind_of_first_text(first_text(raw, layout, cfg), cfg)
    if kind == "data" and any(total_label(v, cfg) for v in raw):
        return "total"  # a total label anywhere in the row (SPEC §11.3)
    return kind


class RowParser:
    """Parses one data row of a located sheet into a record, collecting findings."""

    def __init__(self, grid: Grid, layout: Layout, period: Period, cfg: Config):
        self.grid, self.layout, self.period, self.cfg = grid, layout, period, cfg
        self.ledger = layout.ledger
        self.required = set(cfg.ledgers[self.ledger]["required"])
        self.factors = {}
        self.default_unit_fields = []
        self.defaulted = set()  # default-unit columns where a bare number was read
        self.kinds = {name: cfg.field_type(name) for name in layout.columns if name != "region"}
        self.period_start, self.period_end = period.start, period.end
        self.template = {
            **dict.fromkeys(RECORD_COLUMNS[self.ledger]),
            "source_file": grid.source_file,
            "source_sheet": grid.sheet,
            "source_row": None,
        }
        self.required_labels = [(n, cfg.field_label(self.ledger, n)) for n in sorted(self.required) if n != "region"]
        self.date_field = {"signings": "signed_on", "activities": "held_on"}.get(self.ledger)
        self.date_label = cfg.field_label(self.ledger, self.date_field) if self.date_field else ""
        for name in layout.columns:
            if cfg.field_type(name) == "amount":
                factor, default = layout.factor(name, cfg)
                self.factors[name] = factor
                if default:
                    self.default_unit_fields.append(name)
        self.unit_unseen = set(self.default_unit_fields)
        year, date1904 = period.year, grid.date1904
        self.normalisers = {
            "count": lambda raw: N.parse_count(raw, cfg),
            "date": lambda raw: parse_date(raw, year, cfg, date1904),
            "yesno": lambda raw: N.parse_yesno(raw, cfg),
            "text": lambda raw: (as_text(raw), None),
        }

    def cell(self, row: list, name: str):
        j = self.layout.columns.get(name)
        return row[j] if j is not None and j < len(row) else None

    def unreadable(self, excel_row: int, name: str) -> str | None:
        j = self.layout.columns.get(name)
        return self.grid.unreadable.get((excel_row - 1, j)) if self.grid.unreadable else None

    def report(self, findings: list, region, excel_row: int, name: str, raw, problem) -> bool:
        """Record a field's problem; True when it rejects the row (an error in a
        required field). An error in an optional field empties it, with a warning."""
        ledger = self.ledger
        label = self.cfg.field_label(ledger, name)
        severity = problem.severity
        message = problem.message
        for generic in ("日期“", "金额“", "数量“"):
            if message.startswith(generic):  # name the column as the county wrote it
                message = label + message[len(generic) - 1 :]
                break
        else:
            if not message.startswith(label):
                message = f"{label}：{message}"
        fatal = False
        if severity == ERROR:
            if name in self.required:
                fatal = True
                message += "；该行未计入统计"
            else:
                severity = WARNING
                message += "；该项按空值处理"
        findings.append(finding(problem.code, severity, ledger, region, self.grid, excel_row, label, raw, message))
        return fatal

    def parse(self, row: list, excel_row: int):
        """(record or None, findings)."""
        cfg, ledger, columns = self.cfg, self.ledger, self.layout.columns
        findings, record, fatal = [], {}, False
        region = self.region(row, excel_row, findings)
        if region is False:
            fatal = True
            region = None

        def cell(name):
            return self.cell(row, name)

        for name, kind in self.kinds.items():
            raw = cell(name)
            if raw is None:
                hidden = self.unreadable(excel_row, name)
                if hidden:
                    if hidden.startswith("="):
                        problem = Said(
                            ERROR,
                            f"单元格是公式“{N.show(hidden)}”，文件中没有保存计算结果，无法读取（请在Excel中打开、"
                            "重新计算并保存后报送）",
                            "cell.formula_without_value",
                        )
                    else:
                        problem = Said(
                            ERROR,
                            f"单元格为错误值“{N.show(hidden)}”（公式计算出错），无法读取，请修正后报送",
                            "cell.error_value",
                        )
                    fatal |= self.report(findings, region, excel_row, name, hidden, problem)
                record[name] = "" if kind == "text" else None
                continue
            if kind == "amount":
                value, problem = N.parse_amount(raw, self.factors[name], cfg)
            else:
                value, problem = self.normalisers[kind](raw)
            if problem is not None:
                fatal |= self.report(findings, region, excel_row, name, raw, problem)
            elif name in self.unit_unseen and value is not None and N.cell_unit(raw) is None:
                self.defaulted.add(name)  # a bare number read in the default unit
                self.unit_unseen.discard(name)
            record[name] = value

        # derived fields
        if ledger == "projects":
            tier_raw = cell("tier")
            tier = N.match_tier(tier_raw, cfg) if "tier" in columns else None
            if tier is None and not N.is_blank(tier_raw):
                fatal |= self.report(
                    findings,
                    region,
                    excel_row,
                    "tier",
                    tier_raw,
                    Said(
                        ERROR,
                        f"项目类别“{N.show(tier_raw)}”无法识别，应为省百大、市百大或500万元以上产业项目",
                        "tier.unknown",
                    ),
                )
            record["tier"] = tier or self.layout.title_tier
            status = cell("status")
            started, problem = parse_started(status, cfg)
            if problem is not None and "status" in columns:
                fatal |= self.report(findings, region, excel_row, "status", status, problem)
            if "status" in columns:  # 新开工 in a plan table (SPEC §12)
                started = planned_starts(
                    [status],
                    [started],
                    [record.get("started_on")],
                    self.period.end,
                    cfg,
                    header=self.layout.header_text.get("status", ""),
                )[0]
            record["started"] = started
            chain = record.get("chain", "")
            record["chain_raw"] = chain
            record["chain"] = N.match_chain(chain, cfg) or ""
        elif ledger == "signings":
            has_flag = "out_of_province" in columns
            flag, origin = cell("out_of_province"), cell("origin")
            out, problem = N.parse_out_of_province(flag, origin, has_flag, cfg)
            if problem is not None and (has_flag or "origin" in columns):  # no column: no row finding
                fatal |= self.report(
                    findings,
                    region,
                    excel_row,
                    "out_of_province" if has_flag else "origin",
                    flag if has_flag else origin,
                    problem,
                )
            record["out_of_province"] = out
            record["online"] = N.is_online(cell("mode"), cfg)
            chain = record.get("chain", "")
            record["chain_raw"] = chain
            record["chain"] = N.match_chain(chain, cfg) or ""
        elif ledger == "activities":
            record["online"] = N.is_online(cell("kind"), cfg)

        for name, label in self.required_labels:
            if record.get(name) in (None, "") and not any(
                f["field"] == label and f["severity"] == ERROR for f in findings
            ):
                fatal = True
                # a value that was written but not understood (待定, abc): one error, not two
                written = [f for f in findings if f["field"] == label]
                if written:
                    written[0].update(
                        severity=ERROR, message=f"{written[0]['message']}；“{label}”为必填项，该行未计入统计"
                    )
                    continue
                extra = "（表头或标题中也未注明）" if name == "tier" else ""
                if name in self.layout.ambiguous:  # two columns of the field: read from neither
                    extra = "（表头中有两列都对应此项，均未读取，见表头的错误）"
                findings.append(
                    finding(
                        "required.missing",
                        ERROR,
                        ledger,
                        region,
                        self.grid,
                        excel_row,
                        label,
                        None,
                        f"必填项“{label}”未填写{extra}；该行未计入统计",
                    )
                )
        if (
            ledger == "targets"
            and record.get("signed_amount_target") is None
            and record.get("signed_projects_target") is None
            and not fatal
        ):
            findings.append(
                finding(
                    "target.missing",
                    ERROR,
                    ledger,
                    region,
                    self.grid,
                    excel_row,
                    "签约额目标",
                    None,
                    "目标值未填写；该行未计入统计",
                )
            )
            fatal = True
        if fatal:
            return None, findings
        record["region"] = region
        self.checks(record, excel_row, findings)
        out = {**self.template, **record}
        out["source_row"] = excel_row
        return out, findings

    def region(self, row, excel_row, findings):
        """Canonical region of a row, ``None`` for the city (targets), or ``False``
        when it cannot be told (the row is rejected)."""
        cfg, ledger = self.cfg, self.ledger
        raw = self.cell(row, "region") if "region" in self.layout.columns else None
        fallback = self.layout.title_region
        if not N.is_blank(raw):
            region = N.match_region(raw, cfg)
            if region == cfg.city:
                if ledger == "targets":
                    return CITY
                region = None
            if region:
                return region
            if fallback:
                findings.append(
                    finding(
                        "region.unknown_fallback",
                        WARNING,
                        ledger,
                        fallback,
                        self.grid,
                        excel_row,
                        "县区",
                        raw,
                        f"县区“{N.show(raw)}”不在县区名录中，已按{fallback_phrase(self.layout.region_source)}认定为{fallback}",
                    )
                )
                return fallback
            findings.append(
                finding(
                    "region.unknown",
                    ERROR,
                    ledger,
                    "",
                    self.grid,
                    excel_row,
                    "县区",
                    raw,
                    f"县区“{N.show(raw)}”不在县区名录中，无法确定所属县区；该行未计入统计",
                )
            )
            return False
        if fallback:
            return fallback
        findings.append(
            finding(
                "region.missing",
                ERROR,
                ledger,
                "",
                self.grid,
                excel_row,
                "县区",
                None,
                "无法确定所属县区（无县区列，分组行、标题、填报单位、工作表名和文件名中也未注明）；该行未计入统计",
            )
        )
        return False

    def checks(self, record, excel_row, findings):
        """What a statistician would catch by eye in one row."""
        ledger, region = self.ledger, record["region"]
        if ledger == "projects":
            planned, done = record.get("planned_investment"), record.get("completed_investment")
            if planned is not None and done is not None and done > planned:
                findings.append(
                    finding(
                        "project.completed_over_planned",
                        WARNING,
                        ledger,
                        region,
                        self.grid,
                        excel_row,
                        "累计完成投资",
                        done,
                        f"累计完成投资（{N.wan(done)}）超过年度计划投资（{N.wan(planned)}），请核实",
                    )
                )
        date_field = self.date_field
        if date_field and record.get(date_field):
            day = record[date_field]
            label = self.date_label
            if day > self.period_end:
                findings.append(
                    finding(
                        "date.after_period",
                        WARNING,
                        ledger,
                        region,
                        self.grid,
                        excel_row,
                        label,
                        day.isoformat(),
                        f"{label}{day.isoformat()}晚于本期截止日{self.period_end.isoformat()}，未计入本期",
                    )
                )
            elif day < self.period_start:
                findings.append(
                    finding(
                        "date.before_year",
                        INFO,
                        ledger,
                        region,
                        self.grid,
                        excel_row,
                        label,
                        day.isoformat(),
                        f"{label}{day.isoformat()}早于本年，未计入本年累计",
                    )
                )
