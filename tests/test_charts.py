"""bulletin.report.drawing (drawing) and bulletin.report.figures (what each chart shows)."""

from __future__ import annotations

import os
import re
import time
import warnings

import pytest

from bulletin.publish.page import chart_html
from bulletin.report import drawing, figures
from bulletin.report.document import Numbers
from report_demo import earlier_overrides, ed_for, edition, write_demo_processed

pytestmark = pytest.mark.usefixtures("drawn_for_real")  # this module tests the drawing itself


def _all_charts(ed) -> dict:
    num = Numbers(ed.lang)
    made = [
        figures.monthly_chart(ed, num, "全市签约额逐月累计"),
        figures.completion_chart(ed, num),
        figures.start_rate_chart(ed, num, ed.data.rows, "各县区重点项目开复工率"),
    ]
    return {c.key: c for c in made if c is not None}


def test_charts_are_deterministic_inline_svg_without_missing_glyphs(tmp_path, monkeypatch):
    # every drawing in this process, so that its warnings are seen here
    monkeypatch.setattr(drawing, "_fork_drawing", lambda *a: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ed = ed_for(tmp_path, history={"2020-05": earlier_overrides(), "2019-06": earlier_overrides()})
        first = "".join(chart_html(c) for c in _all_charts(ed).values())
    problems = [str(w.message) for w in caught if any(k in str(w.message).lower() for k in ("glyph", "font", "tight"))]
    assert problems == []
    assert first == "".join(chart_html(c) for c in _all_charts(edition(ed.data.folder.parent)).values())
    assert first.count("<svg") == 6  # three charts, each drawn for print and for phones
    assert "<?xml" not in first and "DOCTYPE" not in first
    assert "<metadata>" not in first and "<script" not in first
    assert not re.search(r'(?:href|src)="(?:https?:)?//', first)
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert len(ids) == len(set(ids))  # several charts on one page: no clashing ids
    assert "图1　全市签约额逐月累计" in first and "图3　各县区重点项目开复工率" in first
    # grey-scale print: the lights and tiers differ by hatching, not by colour alone
    assert first.count("<pattern") >= 4


def test_drawings_made_at_the_same_time_are_the_drawings_made_one_by_one(tmp_path, monkeypatch):
    """drawing.draw_widths forks a child per extra width: the same bytes as drawing
    each width here, and a child that fails is replaced by a drawing here."""
    ed = ed_for(tmp_path, history={"2020-05": earlier_overrides()})
    forked = {k: (c.svg, c.svg_narrow) for k, c in _all_charts(ed).items()}
    with monkeypatch.context() as m:
        m.setattr(drawing, "_fork_drawing", lambda *a: None)
        alone = {k: (c.svg, c.svg_narrow) for k, c in _all_charts(ed).items()}
    assert forked == alone and len(forked) == 3

    def broken(chart, args, kwargs):  # a child that dies without drawing
        pid = os.fork()
        if pid == 0:
            os._exit(3)
        r, w = os.pipe()
        os.close(w)
        return pid, r

    monkeypatch.setattr(drawing, "_fork_drawing", broken)
    assert {k: (c.svg, c.svg_narrow) for k, c in _all_charts(ed).items()} == alone


def test_a_hanging_drawing_child_is_killed_and_the_drawing_made_here():
    """A forked child that never finishes (say, blocked on a lock another thread held
    at the fork) costs the timeout, not the run."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # writes a little, then hangs
        os.close(r)
        os.write(w, b"<svg")
        time.sleep(600)
        os._exit(0)
    os.close(w)
    start = time.monotonic()
    svg = drawing._collect((pid, r), lambda width: f"<svg here {width}/>", (), {"width": 2.0}, timeout=0.5)
    assert svg == "<svg here 2.0/>"
    assert time.monotonic() - start < 10
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(pid, os.WNOHANG)


def test_chart_handles_missing_values(monkeypatch):
    asked = []
    real = drawing.label
    monkeypatch.setattr(drawing, "label", lambda key, *a, **k: asked.append(key) or real(key, *a, **k))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = drawing.completion_chart(["全市", "甲$x$县"], [None, float("nan")], [None, ""], None)
        svg2 = drawing.start_rate_chart(["全市"], {"industrial": [None]})
        svg3 = drawing.monthly_chart([1, 2, 3], [None, None, 5000], None, None)
        svg4 = drawing.monthly_chart([1], [None], None, None, width=drawing.NARROW_IN)
    assert [str(w.message) for w in caught if "glyph" in str(w.message).lower()] == []
    assert all(s.startswith("<svg") for s in (svg, svg2, svg3, svg4))
    # a region without a target is written "无目标" (never a zero bar), one per region;
    # a month without a snapshot "无数据" (never zero), one per missing month
    assert asked.count("chart.no_target") == 2
    assert asked.count("chart.no_snapshot") == 3
    assert "$x$" not in svg  # "$" is text, never mathtext: drawn as glyph outlines


def test_chart_labels_are_in_the_editions_language():
    zh = drawing.completion_chart(["甲"], [None], [None], 0.5, lang="zh")
    en = drawing.completion_chart(["A"], [None], [None], 0.5, lang="en")
    assert zh != en  # "无目标" / "no target", the axis labels


def test_monthly_chart_of_a_county_is_the_countys(tmp_path):
    ed = ed_for(tmp_path, region="宝清县", history={"2020-05": earlier_overrides()})
    chart = figures.monthly_chart(ed, Numbers("zh"), "宝清县签约额逐月累计")
    city = figures.monthly_chart(ed_for(tmp_path / "c", history={"2020-05": earlier_overrides()}), Numbers("zh"), "x")
    assert chart.number == "图1" and chart.title == "宝清县签约额逐月累计"
    assert chart.svg != city.svg


def test_no_monthly_chart_without_a_signed_amount(tmp_path):
    base = write_demo_processed(tmp_path)
    ind = base / "2020-06" / "indicators.csv"
    lines = [line for line in ind.read_text(encoding="utf-8").splitlines() if ",宝清县,signed_amount," not in line]
    ind.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert figures.monthly_chart(edition(base, region="宝清县"), Numbers("zh"), "t") is None
    assert figures.monthly_chart(edition(base), Numbers("zh"), "t") is not None


def test_no_start_rate_chart_without_start_rates(tmp_path):
    base = write_demo_processed(tmp_path)
    ind = base / "2020-06" / "indicators.csv"
    lines = [line for line in ind.read_text(encoding="utf-8").splitlines() if "_start_rate" not in line]
    ind.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ed = edition(base)
    assert figures.start_rate_chart(ed, Numbers("zh"), ed.data.rows, "t") is None


def test_ids_and_their_references_are_prefixed_and_nothing_else():
    svg = (
        '<svg><defs><path id="a" d="M0"/><path id="ab" d="M1"/><clipPath id="c1"><rect/></clipPath></defs>'
        '<use xlink:href="#a"/><use xlink:href="#ab"/><g clip-path="url(#c1)" fill="#ab0000"/>'
        '<rect fill="#a"/><text>id="zz" url(#a) "#a"</text><g filter="url(#ab"/></svg>'
    )
    out = drawing._prefix_ids(svg, "fig2")
    assert out == (
        '<svg><defs><path id="fig2-a" d="M0"/><path id="fig2-ab" d="M1"/><clipPath id="fig2-c1"><rect/></clipPath>'
        '</defs><use xlink:href="#fig2-a"/><use xlink:href="#fig2-ab"/><g clip-path="url(#fig2-c1)" fill="#ab0000"/>'
        '<rect fill="#fig2-a"/><text>id="fig2-zz" url(#fig2-a) "#fig2-a"</text><g filter="url(#ab"/></svg>'
    )  # (matplotlib writes no such text: its labels are paths)


def test_drawings_are_reused_only_inside_reusing_drawings():
    """The test suite's switch (report/drawing_memo.py): off, every call draws; on, the
    very same chart and arguments give the earlier drawings, anything else draws."""
    from bulletin.report.drawing_memo import reusing_drawings

    calls = []

    def chart(values, width, label=""):
        calls.append((tuple(values), width, label))
        return f"<svg {values} {width} {label}/>"

    drawing.draw_widths(chart, [1, 2], widths=(3.0,))
    drawing.draw_widths(chart, [1, 2], widths=(3.0,))
    assert len(calls) == 2  # not reused outside the block
    with reusing_drawings():
        first = drawing.draw_widths(chart, [5, 6], widths=(3.0,), label="x")
        again = drawing.draw_widths(chart, [5, 6], widths=(3.0,), label="x")
        other = drawing.draw_widths(chart, [5, 7], widths=(3.0,), label="x")
        drawing.draw_widths(chart, [5, 6], widths=(3.0,), label="y")
        drawing.draw_widths(chart, [lambda: 0], widths=(3.0,))  # unpicklable: drawn, never kept
        drawing.draw_widths(chart, [lambda: 0], widths=(3.0,))
    assert first == again == ["<svg [5, 6] 3.0 x/>"] and other == ["<svg [5, 7] 3.0 x/>"]
    assert len(calls) == 2 + 5
    drawing.draw_widths(chart, [5, 6], widths=(3.0,), label="x")
    assert len(calls) == 2 + 6  # off again after the block


def test_drawings_kept_in_the_session_folder_only_while_a_test_runs(tmp_path, monkeypatch):
    """The test session's folder (conftest ``shared_drawings``): a drawing kept there by
    one process is found by another; outside a test (no $PYTEST_CURRENT_TEST) the folder
    is neither read nor written."""
    from bulletin.report import drawing_memo

    calls = []

    def chart(values, width):
        calls.append(width)
        return f"<svg {values} {width}/>"

    folder = tmp_path / "drawings"
    monkeypatch.setenv(drawing_memo.FOLDER_ENV, str(folder))
    assert drawing.draw_widths(chart, [1], widths=(2.0,)) == ["<svg [1] 2.0/>"]
    assert len(calls) == 1 and len(list(folder.glob("*.json"))) == 1
    monkeypatch.setattr(drawing_memo, "drawn", {})  # another process: nothing in its memory
    assert drawing.draw_widths(chart, [1], widths=(2.0,)) == ["<svg [1] 2.0/>"]
    assert len(calls) == 1  # found in the folder
    next(folder.glob("*.json")).write_text('{"not": "drawings"}', encoding="utf-8")
    monkeypatch.setattr(drawing_memo, "drawn", {})
    assert drawing.draw_widths(chart, [1], widths=(2.0,)) == ["<svg [1] 2.0/>"] and len(calls) == 2  # junk: drawn
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    monkeypatch.setattr(drawing_memo, "drawn", {})
    drawing.draw_widths(chart, [9], widths=(2.0,))
    drawing.draw_widths(chart, [9], widths=(2.0,))
    assert len(calls) == 4 and len(list(folder.glob("*.json"))) == 1  # not a test: drawn, not kept
