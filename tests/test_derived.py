"""What a ledger type derives and checks is declared (``bulletin.ledgers.derived.RULES``)
and the column engine (``Parser.parse``) applies whatever is declared, knowing no
ledger by name (issue 24 item 4)."""

from __future__ import annotations

import dataclasses

import pytest

from bulletin.contract import LEDGERS, RECORD_COLUMNS
from bulletin.findings_catalogue import FINDING_CODES
from bulletin.ledgers import derived
from bulletin.ledgers.derived import Derived, LedgerRules, RowCheck, Table
from bulletin.ledgers.findings import Finding
from conftest import ACT_HEADER, PROJ_HEADER, SIGN_HEADER, TARGET_HEADER, read, sign_row, write_xlsx


def test_every_ledger_type_declares_its_rules():
    assert set(derived.RULES) == set(LEDGERS)
    for ledger, rules in derived.RULES.items():
        for d in rules.derived:
            assert set(d.fields) <= set(RECORD_COLUMNS[ledger]), (ledger, d.fields)
        for check in rules.checks:
            assert set(check.codes) <= set(FINDING_CODES), (ledger, check.codes)
    assert [r.city_rows for r in derived.RULES.values()].count(True) == 1 and derived.RULES["targets"].city_rows


SHEETS = {
    "signings": [SIGN_HEADER, sign_row(1, mode="网上签约"), sign_row(2, origin="宝清县", day="2020-08-01")],
    "activities": [
        ACT_HEADER,
        ["1", "2020-05-02", "线上推介会", "张三", "北京", 2],
        ["2", "2019-12-30", "外出招商", "李四", "上海", 1],
    ],
    "projects": [PROJ_HEADER, ["1", "项目甲", "省级百大项目", 5000, 1000, 1500, "已开工", "是"]],
    "targets": [TARGET_HEADER, ["宝清县", 10000, 5], ["友谊县", None, None]],
}


@pytest.mark.parametrize("ledger", sorted(SHEETS))
def test_each_derived_function_computes_exactly_the_fields_it_declares(ledger, snap_dir, monkeypatch):
    """A declared field list that lies (a field computed but not declared, or declared
    but left out) fails here, for every ledger type's functions on a real table."""
    seen = []

    def watched(d: Derived) -> Derived:
        def compute(t: Table) -> None:
            before = {k: v for k, v in t.cols.items()}
            d.compute(t)
            changed = {k for k, v in t.cols.items() if k not in before or before[k] is not v}
            seen.append((d.fields, changed))
            assert all(len(t.cols[f]) == t.n for f in d.fields)

        return Derived(d.fields, compute)

    rules = derived.RULES[ledger]
    monkeypatch.setitem(derived.RULES, ledger, dataclasses.replace(rules, derived=tuple(map(watched, rules.derived))))
    write_xlsx(snap_dir / "宝清县.xlsx", SHEETS[ledger])
    res = read(snap_dir)
    assert len(res[ledger]) >= 1
    assert len(seen) == len(rules.derived)
    for fields, changed in seen:
        assert changed == set(fields)


def test_derived_values_and_row_checks_of_the_real_rules(snap_dir):
    write_xlsx(snap_dir / "宝清县签约.xlsx", SHEETS["signings"])
    write_xlsx(snap_dir / "宝清县活动.xlsx", SHEETS["activities"])
    write_xlsx(snap_dir / "全市目标.xlsx", SHEETS["targets"])
    res = read(snap_dir)
    sign = res["signings"].set_index("project")
    assert sign.loc["项目1", "online"] and sign.loc["项目1", "out_of_province"]
    assert not sign.loc["项目2", "out_of_province"]
    assert list(res["activities"]["online"]) == [True, False]
    q = res.findings
    assert set(q["code"]) >= {"date.after_period", "date.before_year", "target.missing"}
    assert list(res["targets"]["region"]) == ["宝清县"]  # the row without a target is rejected


def test_the_engine_applies_whatever_a_ledger_declares(snap_dir, monkeypatch):
    """A derived field and a rejecting row check declared for activities, with no
    change to the engine: the field is in the records, the check's finding in
    quality.csv and its row out of the statistics."""

    def everything_online(t: Table) -> None:
        t.cols["online"] = [True] * t.n

    def second_row(t: Table) -> None:
        t.slow[1] = 1

    def reject_second(t: Table, i: int, region) -> dict | None:
        if i != 1:
            return None
        found = Finding(
            code="required.missing",
            ledger="activities",
            region=region,
            where=t.grid,
            source_row=t.excel_rows[i],
            field="测试",
            params={"label": "测试"},
        )
        return found.row()

    rules = LedgerRules(
        derived=(Derived(("online",), everything_online),),
        checks=(RowCheck(("required.missing",), second_row, reject_second, rejects=True),),
    )
    monkeypatch.setitem(derived.RULES, "activities", rules)
    write_xlsx(snap_dir / "宝清县.xlsx", SHEETS["activities"])
    res = read(snap_dir)
    assert list(res["activities"]["online"]) == [True]
    assert list(res["activities"]["held_on"].astype(str)) == ["2020-05-02"]
    hit = res.findings[res.findings["field"] == "测试"]
    assert list(hit["source_row"]) == [3] and list(hit["region"]) == ["宝清县"]
