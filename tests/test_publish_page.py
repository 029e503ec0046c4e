"""bulletin.publish.page: the model as the HTML fragments the notebook displays."""

from __future__ import annotations

import doctest
import re

import pytest

from bulletin.publish import page
from report_demo import DEMO_LEAD, PERIOD, doc_for, has_nan, without_svg, write_demo_processed


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return write_demo_processed(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def doc(base):
    return doc_for(base)


def test_doctests():
    result = doctest.testmod(page)
    assert result.attempted > 0 and result.failed == 0


def test_one_fragment_per_part_in_order(doc):
    parts = page.fragments(doc)
    assert len(parts) == 1 + len(doc.issued()) - 1  # the imprint is empty: no 抄送, no 印发 set
    assert parts[0].startswith(
        '<header class="bulletin-header" data-lang="zh" data-run-time="2020-07-03T09:15:42+08:00">'
    )
    assert '<h1 class="bulletin-title">双鸭山市2020年上半年<br>招商引资和项目建设情况通报</h1>' in parts[0]
    assert [re.match(r"<(\w+) class=\"([^\"]+)\"", p).groups() for p in parts[1:]] == [
        ("section", "overview"),
        ("section", "signings-section"),
        ("section", "structure-section"),
        ("section", "projects-section"),
        ("section", "problems-section"),
        ("section", "next_steps-section"),
        ("section", "closing"),
        ("section", "annex-section first"),  # the first 附件 starts a page, the others follow
        *[("section", "annex-section")] * 3,  # the tiers' tables grouped in 附件2 and 附件3
    ]
    internal = page.fragments(doc, internal=True)
    assert [re.match(r"<(\w+) class=\"([^\"]+)\"", p).groups() for p in internal] == [("footer", "sources internal")]
    assert f'<p class="lead">{DEMO_LEAD}</p>' in parts[1]
    assert "环比" not in parts[1] and "相比" not in parts[1]
    whole = page.page_html(doc, internal=True)
    positions = [whole.index(f'id="{t.key}"') for t in doc.tables.values()]
    assert positions == sorted(positions)
    assert (
        whole.index('id="figure-monthly"')
        < whole.index('id="signings"')
        < whole.index('id="figure-completion"')
        < whole.index('id="figure-start_rate"')
        < whole.index('id="projects-provincial_key"')  # an 附件, after the text
    )


def test_signings_table_html(doc):
    html_table = page.table_html(doc.tables["signings"])
    assert html_table.index("全市") < html_table.index("尖山区") < html_table.index("饶河县")
    assert "表1　各县区招商引资完成情况" in html_table
    assert '<td class="num">150.33</td>' in html_table and '<td class="num">140.00</td>' in html_table
    assert '<td class="num">107.4%</td>' in html_table
    row = html_table[html_table.index("岭东区") :].split("</tr>")[0]
    assert 'class="light light-red"' in row and "红灯" in row and ">8<" in row
    assert '<tr class="total">' in html_table


def test_projects_section_headings_tables_in_order(doc):
    section = page.section_html(doc.section("projects"))
    assert (
        section.index("<h3>（一）省级百大项目</h3>")
        < section.index("详见附件2")
        < section.index("见附件3")
        < section.index("（二）市级百大项目")
        < section.index("市级百大项目推进情况（分县区）详见附件2")
    )
    annexes = "".join(page.section_html(s) for s in doc.sections if s.annex)
    # 附件2 holds the three tiers' tables, each under its own title; a lone table has none
    assert '<p class="annex-title">重点项目推进情况（分县区）</p>' in annexes
    assert '<p class="caption">省级百大项目推进情况（分县区）</p>' in annexes
    assert '<p class="caption">附件1' not in annexes and "签约额居前的省外招商引资项目（前2项）</p>" in annexes
    assert "尖山区市百大示例项目1" in annexes and "用地手续未办结" in annexes


def test_problems_have_a_bold_lead_in(doc):
    section = page.section_html(doc.section("problems"))
    assert '<p class="problem"><strong>一是部分县区签约进度滞后。</strong>岭东区（39.4%）' in section
    assert "五、存在问题" in section and "各县区台账数据质量情况" in section


def test_hostile_ledger_text_is_escaped(doc):
    whole = page.page_html(doc, internal=True)
    assert "<script" not in whole
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in whole
    assert "<b>审批</b>" not in whole and "A&amp;B &lt;b&gt;审批&lt;/b&gt;" in whole
    assert "友谊县/项目&lt;1&gt;.xlsx" in whole


def test_provenance_is_only_in_the_internal_edition(doc):
    issued = page.page_html(doc)
    assert "ab" * 32 not in issued and "0.1.0+g1a2b3c4" not in issued and "自动生成" not in issued
    assert page.page_html(doc, internal=True).startswith(issued)
    foot = "".join(page.fragments(doc, internal=True))
    assert "abababababab…" in foot and "ab" * 32 in foot
    assert "附表1　本期使用的台账文件" in foot
    assert "0.1.0+g1a2b3c4" in foot and "2020-07-03 09:15" in foot
    assert "错误1条、警告1条" in foot and "数据行22行" in foot and "退回1行" in foot
    assert "不随通报印发" in foot


def test_no_nan_and_no_manifest(tmp_path):
    base = write_demo_processed(tmp_path, manifest=False, overrides={"signed_amount_target": [None] * 8})
    for name in ("signings.csv", "projects.csv", "quality.csv", "accounting.csv"):
        (base / PERIOD / name).unlink()
    doc = doc_for(base)
    whole = page.page_html(doc, internal=True)
    assert "未找到本期数据处理记录" in whole and "签约额居前" not in whole
    assert 'data-run-time=""' in page.header_html(doc)
    assert not has_nan(whole)
    assert "亮红灯" not in without_svg(whole) and "签约进度滞后" not in whole


def test_over_long_ledger_text_prints_its_beginning(tmp_path):
    long = "长" * 5000
    doc = doc_for(write_demo_processed(tmp_path, project_name=long))
    annex = next(s for s in doc.sections if s.annex and s.blocks[0].key == "not_started-provincial_key")
    section = page.section_html(annex)
    assert section.count(long) == 1  # the whole text, for the screen
    assert f'<span class="print-only">{"长" * page.PRINT_TEXT_MAX}…</span>' in section
    assert doc.tables["not_started-provincial_key"].text(0, 2) == long  # Excel


def _demo_names(text: str) -> set[str]:
    """The regions whose demo projects (…示例项目n) a page names."""
    return {m.group(1) for m in re.finditer(r"(\w{2,4}?[区县])(?:省百大|市百大|产业)示例项目\d", text)}


def test_county_page_highlights_its_row_and_lists_only_its_own(base, doc):
    whole = page.page_html(doc_for(base, region="宝清县"))
    assert whole.count('<tr class="highlight">') == 1
    assert re.search(r'<tr class="highlight"><th style="[^"]+" class="region" scope="row">宝清县</th>', whole)
    assert _demo_names(whole) == {"宝清县"}  # not another county's projects
    assert "签约额为负数" in whole  # its finding, with the row to fix
    assert "开复工情况为空" not in whole  # 友谊县's finding
    assert "宝清县签约额逐月累计" in whole and "宝清县与全市重点项目开复工率" in whole
    assert 'class="highlight"' not in page.page_html(doc)  # the city's edition


def test_county_page_escapes_ledger_text(base):
    whole = page.page_html(doc_for(base, region="尖山区"))
    assert "<script" not in whole and "&lt;script&gt;alert(1)&lt;/script&gt;" in whole
    assert "<b>审批</b>" not in whole and "A&amp;B &lt;b&gt;审批&lt;/b&gt;" in whole


def test_english_page(base):
    whole = page.page_html(doc_for(base, lang="en"))
    assert 'data-lang="en"' in whole
    # only ledger text (project names, problems, file names) stays in Chinese
    assert "尖山区市百大示例项目1" in whole
    visible = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", whole, flags=re.S)
    for word in ("表", "图", "县区", "亿元", "开复工率", "红灯", "全市"):
        assert word not in visible, word


def test_the_documents_own_lines(base, tmp_path):
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "document.yaml").write_text(
        "issuer: 双鸭山市招商引资工作领导小组办公室\ndoc_number: 双招商办通〔2020〕6号\n"
        "recipients: 各县（区）人民政府\ndate: 2020-07-10\ncopy_to: 市政府办公室\n"
        "printed_by: 双鸭山市招商引资工作领导小组办公室\nprinted_on: 2020-07-10\nred_header: true\n",
        encoding="utf-8",
    )
    whole = page.page_html(doc_for(base, config_dir=cfg))
    head = whole[: whole.index("</header>")]
    assert '<p class="red-mark" style="--mark-size: 23pt">双鸭山市招商引资工作领导小组办公室文件</p>' in head
    assert head.index("双招商办通〔2020〕6号") < head.index('<hr class="red-rule">') < head.index("<h1")
    assert '<p class="recipients">各县（区）人民政府：</p>' in head
    assert '<p class="signature">双鸭山市招商引资工作领导小组办公室</p><p class="date">2020年7月10日</p>' in whole
    assert '<p class="copy_to">抄送：市政府办公室。</p>' in whole
    assert '<span class="printed-on">2020年7月10日印发</span>' in whole
    annex = whole.index('<h2 class="annex-number">附件1')
    assert whole.index('class="date"') < annex < whole.index("抄送")  # 署名、日期、附件、版记


def test_no_red_header_unless_asked(doc):
    assert "red-mark" not in page.header_html(doc) and "recipients" not in page.header_html(doc)
