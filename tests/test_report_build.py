"""bulletin.report.build and bulletin.report.document: the bulletin's model, built once,
in document order, for each edition."""

from __future__ import annotations

import pytest

from bulletin.errors import WordingError
from bulletin.report import format as fmt
from bulletin.report.document import Chart, Heading, Paragraph, Table
from report_demo import CJK, DEMO_LEAD, PERIOD, doc_for, has_nan, write_demo_processed


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return write_demo_processed(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def doc(base):
    return doc_for(base)


@pytest.fixture(scope="module")
def doc_en(base):
    """The English edition of ``base`` (read-only, shared by the tests that read it)."""
    return doc_for(base, lang="en")


def _kinds(section) -> list[str]:
    return [type(b).__name__ for b in section.blocks]


def test_the_document_in_order(doc):
    assert doc.title == "双鸭山市2020年上半年招商引资和项目建设情况通报"
    assert doc.subtitle == "统计期间：2020年1月1日至2020年6月30日（年初至本月末累计）"
    assert [(s.key, s.heading) for s in doc.sections] == [
        ("overview", "一、总体情况"),
        ("signings", "二、各县区招商引资完成情况"),
        ("structure", "三、招商引资结构和资金到位情况"),
        ("projects", "四、重点项目建设情况"),
        ("problems", "五、存在问题"),
        ("next_steps", "六、下一步工作要求"),
        ("closing", ""),
        *[("annex", f"附件{i}") for i in range(1, 5)],
        ("imprint", ""),
        ("sources", "附：数据来源（内部版，不随通报印发）"),
    ]
    assert [s.key for s in doc.sections if s.internal] == ["sources"]
    assert [s.key for s in doc.issued()] == [s.key for s in doc.sections][:-1]
    overview = doc.section("overview")
    assert _kinds(overview) == ["Paragraph", "Chart"] and overview.blocks[0].text == DEMO_LEAD == doc.summary
    # the largest signings, each tier's tables and the data quality table are 附件 (document.yaml annex)
    assert _kinds(doc.section("signings")) == ["Paragraph", "Table", "Chart", "Paragraph"]
    assert doc.section("signings").blocks[-1].text == "签约额居前的省外招商引资项目（前2项）详见附件1。"
    projects = _kinds(doc.section("projects"))
    assert projects == ["Heading", "Paragraph"] * 3 + ["Chart"]
    assert [b.text for b in doc.section("projects").blocks if isinstance(b, Heading)][0] == "（一）省级百大项目"
    problems = doc.section("problems").blocks
    assert [b.lead_in[:2] for b in problems if isinstance(b, Paragraph)] == ["一是", "二是", "三是", "四是", "五是"]
    assert problems[-1].text.endswith("各县区台账数据质量情况详见附件4。")
    annexes = [s for s in doc.sections if s.annex]
    assert [(s.title, [b.key for b in s.blocks]) for s in annexes][-1] == ("各县区台账数据质量情况", ["quality"])
    assert all(s.blocks[0].annex for s in annexes)
    # a family's tables share one 附件 under the group's title, each captioned by its own title
    tiers = annexes[1]
    assert (tiers.heading, tiers.title) == ("附件2", "重点项目推进情况（分县区）")
    titles = [f"{n}推进情况（分县区）" for n in ("省级百大项目", "市级百大项目", "500万元以上产业项目")]
    assert [t.printed_caption for t in tiers.blocks] == titles
    assert [t.caption for t in tiers.blocks] == [f"附件2　{t}" for t in titles]  # the workbook's
    assert not annexes[0].blocks[0].annex_part and annexes[0].blocks[0].printed_caption == ""
    assert doc.run_time == "2020-07-03T09:15:42+08:00"
    assert doc.provenance == ["程序版本：0.1.0+g1a2b3c4", "数据处理时间：2020-07-03 09:15"]
    # the text ends with the definitions and the date (document.yaml sets none: the run's day)
    closing = doc.section("closing").blocks
    assert [(p.style, p.text) for p in closing][-1] == ("date", "2020年7月3日")
    # 附件说明 before the date (GB/T 9704-2012 7.3.3)
    listed = [(p.lead_in, p.text) for p in closing if p.style == "annex_list"]
    assert listed[0] == ("附件：", "1.签约额居前的省外招商引资项目（前2项）")
    assert listed[1:] == [
        ("", "2.重点项目推进情况（分县区）"),
        ("", "3.尚未开复工的重点项目"),
        ("", "4.各县区台账数据质量情况"),
    ]
    assert closing[0].style == "notes" and closing[0].text.startswith("说明：金额由万元折算为亿元")
    assert doc.section("imprint").blocks == []  # no 抄送, no 印发 set
    assert "inputs" in doc.tables and "inputs" not in [t.key for t in doc.issued_tables]


def test_numbering_follows_the_document(doc):
    annexes = ["附件1"] + ["附件2"] * 3 + ["附件3"] * 3 + ["附件4"]  # the tiers' tables grouped
    assert [t.number for t in doc.tables.values()] == ["表1", *annexes, "附表1"]
    assert [c.number for c in doc.charts.values()] == ["图1", "图2", "图3"]
    assert list(doc.charts) == ["monthly", "completion", "start_rate"]
    in_order = [b.key for s in doc.sections for b in s.blocks if isinstance(b, (Table, Chart))]
    assert in_order[:3] == ["monthly", "signings", "completion"]
    # a tier paragraph names its annexes in their order: the tier's table, its projects not started
    para = doc.section("projects").blocks[1]
    assert para.text.endswith("省级百大项目推进情况（分县区）详见附件2。尚未开复工的项目8个，见附件3。")
    assert doc.tables["not_started-provincial_key"].number == "附件3"


def test_a_tier_without_projects_keeps_its_heading_and_loses_its_tables(tmp_path):
    zero = [0] * 8
    names = ("projects", "started", "planned_investment", "completed_investment", "in_statistics")
    base = write_demo_processed(tmp_path, overrides={f"industrial_{k}": zero for k in names})
    doc = doc_for(base)
    assert "projects-industrial" not in doc.tables and "not_started-industrial" not in doc.tables
    headings = [b.text for b in doc.section("projects").blocks if isinstance(b, Heading)]
    assert headings[-1] == "（三）500万元以上产业项目"
    assert any("本期全市无500万元以上产业项目" in b.text for b in doc.blocks(Paragraph))
    assert not any(has_nan(b.text) for b in doc.blocks(Paragraph))


def test_missing_optional_files(tmp_path):
    base = write_demo_processed(tmp_path, manifest=False)
    for name in ("signings.csv", "projects.csv", "quality.csv", "accounting.csv"):
        (base / PERIOD / name).unlink()
    doc = doc_for(base)
    assert "top_signings" not in doc.tables  # no signing: no 附件 of the largest
    assert [s.title for s in doc.sections if s.annex][0] == "重点项目推进情况（分县区）"
    texts = [b.text for b in doc.section("sources").blocks]
    assert "未找到本期数据处理记录（manifest.json）。" in texts and doc.provenance == []
    assert doc.summary == DEMO_LEAD and doc.run_time == ""
    assert "inputs" not in doc.tables and "quality" not in doc.tables


def test_an_annex_of_several_tables_has_its_group_title():
    from bulletin.report.build import annex_title

    def t(key, title):
        return Table(key, "附件2", title, "表", [], [], "zh")

    assert annex_title([t("chain", "全市签约项目分产业链情况")], "zh") == "全市签约项目分产业链情况"
    assert annex_title([t("chain", "甲"), t("area", "乙"), t("funds", "丙")], "zh") == "招商引资结构和资金到位情况"
    # a county edition has no funds table: the title says what the 附件 holds
    assert annex_title([t("chain", "甲"), t("area", "乙")], "zh") == "签约项目分产业链、分来源地情况"
    assert annex_title([t("projects-industrial", "甲"), t("projects-municipal_key", "乙")], "en") == (
        "Key projects by county"
    )


def test_a_county_edition_is_the_same_document_about_the_county(base):
    doc = doc_for(base, region="宝清")  # an alias
    assert doc.region == "宝清县" and doc.title == "宝清县2020年上半年招商引资和项目建设情况通报"
    assert doc.section("signings").heading == "二、招商引资完成情况及在全市位次"
    assert list(doc.tables) == [
        "signings",
        "region_projects",
        "top_signings",
        "not_started-provincial_key",
        "not_started-municipal_key",
        "not_started-industrial",
        "quality_rows",
        "inputs",
    ]
    assert list(doc.charts) == ["monthly", "completion", "start_rate"]
    assert [c.title for c in doc.charts.values()] == [
        "宝清县签约额逐月累计",
        "各县区签约额完成年度目标情况",
        "宝清县与全市重点项目开复工率",
    ]
    closing = [b.text for b in doc.section("closing").blocks]
    assert "本通报为双鸭山市通报的宝清县版，与全市通报使用同一批台账数据和同一计算口径。" in closing
    sources = [b.text for b in doc.section("sources").blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("本期共读取宝清县台账工作表1张、数据行14行") for t in sources)
    assert any(t.startswith("数据质量检查发现宝清县台账错误1条、警告0条") for t in sources)


def test_english_edition_from_the_same_data(doc_en):
    doc = doc_en
    t = doc.tables["signings"]
    assert t.caption == "Table 1. Signings and annual targets by district and county"
    assert t.text(0, 0) == "City total" and t.text(0, 3) == "15.033" and t.text(0, 5) == "107.4%"
    assert [c.header for c in t.columns if CJK.search(c.header)] == []
    assert doc.section("projects").blocks[0].text == "4.1 Provincial key projects"
    for p in doc.blocks(Paragraph):
        assert not CJK.search(p.lead_in + p.text), p
    assert doc.provenance == ["Code version: 0.1.0+g1a2b3c4", "Processed: 2020-07-03 09:15"]
    assert doc.masthead.date == "3 July 2020"


def test_both_editions_show_the_same_figures(doc, doc_en):
    zh, en = doc, doc_en
    assert list(zh.tables) == list(en.tables)
    for key in zh.tables:
        a, b = zh.tables[key], en.tables[key]
        assert len(a.rows) == len(b.rows) and [c.kind for c in a.columns] == [c.kind for c in b.columns]
        for c, col in enumerate(a.columns):
            if col.kind in ("pct", "count", "seq"):
                assert [a.text(r, c) for r in range(len(a.rows))] == [b.text(r, c) for r in range(len(b.rows))]
            if col.kind == "money":  # the same digits: 亿元 with 2 decimals = billion with 3
                for r in range(len(a.rows)):
                    assert (
                        fmt.shown("money", a.rows[r][c]) == (fmt.shown("money", b.rows[r][c], "en") or 0) * 10
                        or a.text(r, c) == "—"
                    )


def test_document_yaml_sets_the_documents_own_lines(base, tmp_path):
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "document.yaml").write_text(
        "issuer: 双鸭山市商务局\ndoc_number: 双商通〔2020〕6号\nrecipients: 各县（区）人民政府\n"
        "date: 2020-07-10\ncopy_to: 市政府办公室\nprinted_by: 双鸭山市商务局办公室\nprinted_on: ''\n"
        "title: '{{ city }}{{ year }}年{{ period_name }}招商引资工作通报'\nred_header: true\n",
        encoding="utf-8",
    )
    doc = doc_for(base, config_dir=cfg)
    m = doc.masthead
    assert (m.issuer, m.doc_number, m.recipients, m.date) == (
        "双鸭山市商务局",
        "双商通〔2020〕6号",
        "各县（区）人民政府",
        "2020年7月10日",
    )
    assert m.red_header and m.mark == "双鸭山市商务局文件" and m.printed_on == ""
    assert doc.title == "双鸭山市2020年上半年招商引资工作通报"
    closing = [(p.style, p.text) for p in doc.section("closing").blocks]
    assert closing[-2:] == [("signature", "双鸭山市商务局"), ("date", "2020年7月10日")]
    imprint = doc.section("imprint").blocks
    assert [(p.style, p.lead_in, p.text) for p in imprint] == [
        ("copy_to", "", "抄送：市政府办公室。"),
        ("printed", "双鸭山市商务局办公室", ""),  # an empty 印发日期 is left out
    ]
    # the English edition keeps its own title unless title_en is set
    assert doc_for(base, lang="en", config_dir=cfg).title.startswith("Shuangyashan: Investment Promotion")


def test_an_unknown_name_in_the_title_pattern_is_an_error(base, tmp_path):
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "document.yaml").write_text("title: '{{ city }}{{ yaer }}年通报'\n", encoding="utf-8")
    with pytest.raises(WordingError, match=r"document.yaml 的 title.*yaer"):
        doc_for(base, config_dir=cfg)
