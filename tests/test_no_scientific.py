"""Numbers as people write them (issue 23): a bulletin of huge and tiny figures shows
no number in scientific notation in any writer's output (HTML, Word, Excel), nor in
indicators.csv; the formatting functions never write one and never fail on one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bulletin.indicators.compute import format_value
from bulletin.publish import docx, excel, page
from bulletin.report import format as fmt
from report_demo import doc_for, write_demo_processed
from scientific import SCIENTIFIC, docx_text, html_text, xlsx_text

HUGE = 1.4e16  # 万元: far beyond any plausible ledger, the worst case for str(float)


@pytest.mark.parametrize("value", [1.4e6, HUGE, 1e20, 1e30, 2.5e-7, 1e-12, 123456789012.5])
def test_the_formatting_functions_never_write_an_exponent(value):
    texts = [
        fmt.money(value),
        fmt.money(value, "en"),
        fmt.pct(value),
        fmt.count(value),
        fmt.number(value, 2),
        fmt.yi(value),
        fmt.plain(Decimal(repr(value)), 2),
        fmt.display("money", value),
        format_value(value),
    ]
    assert not [t for t in texts if SCIENTIFIC.search(t)], texts


def test_the_formatting_functions_write_the_digits():
    assert fmt.number(1e20, 0) == "100000000000000000000"
    assert fmt.money(HUGE) == "1400000000000.00"  # 亿元
    assert format_value(2.5e-7) == "0.00000025" and format_value(HUGE) == "14000000000000000"


def test_a_bulletin_of_huge_figures_has_no_exponent(tmp_path):
    n = 8
    base = write_demo_processed(
        tmp_path / "processed",
        overrides={
            "signed_amount": [HUGE] * n,
            "signed_amount_target": [3.3e15] * n,
            "online_signed_amount": [1.2e15] * n,
            "provincial_key_planned_investment": [9.9e14] * n,
        },
    )
    out = tmp_path / "reports"
    for lang in ("zh", "en"):
        doc = doc_for(base, lang=lang)
        texts = {
            "html": "".join(page.fragments(doc)) + "".join(page.fragments(doc, internal=True)),
            "docx": docx_text(docx.write_document(doc, out)),
            "xlsx": xlsx_text(excel.write_workbook(doc, out)),
        }
        path = tmp_path / f"{lang}.html"  # the fragments' text, without the drawings
        path.write_text(texts["html"], encoding="utf-8")
        texts["html"] = html_text(path)
        assert {k: SCIENTIFIC.findall(v)[:3] for k, v in texts.items() if SCIENTIFIC.search(v)} == {}
        # the figures are there, written out
        assert "1400000000000.00" in texts["html"] or "140000000000.000" in texts["html"]
