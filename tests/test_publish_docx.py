"""bulletin.publish.docx: the issued document as an editable Word file in the 公文 layout
(GB/T 9704-2012), read back with python-docx."""

from __future__ import annotations

import doctest
import io
import zipfile

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from docx.shared import Mm

from bulletin.publish import docx as writer
from bulletin.report.document import Heading
from report_demo import doc_for, write_demo_processed

DOCUMENT_YAML = (
    "issuer: 双鸭山市招商引资工作领导小组办公室\n"
    "doc_number: 双招商办通〔2020〕6号\n"
    "recipients: 各县（区）人民政府，市直有关单位\n"
    "date: 2020-07-10\n"
    "copy_to: 市政府办公室\n"
    "printed_by: 双鸭山市招商引资工作领导小组办公室\n"
    "printed_on: 2020-07-10\n"
    "red_header: true\n"
)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("docx")
    base = write_demo_processed(root / "processed")
    cfg = root / "config"
    cfg.mkdir()
    (cfg / "document.yaml").write_text(DOCUMENT_YAML, encoding="utf-8")
    doc = doc_for(base, config_dir=cfg)
    path = writer.write_document(doc, root / "reports")
    return {"doc": doc, "path": path, "word": read_docx(str(path)), "root": root, "base": base, "cfg": cfg}


def _east_asia(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_doctests():
    result = doctest.testmod(writer)
    assert result.failed == 0


def test_a4_with_the_gbt_9704_margins(made):
    section = made["word"].sections[0]
    mm = lambda length: length / Mm(1)  # noqa: E731
    assert abs(mm(section.page_width) - 210) < 1 and abs(mm(section.page_height) - 297) < 1
    assert abs(mm(section.top_margin) - 37) < 1 and abs(mm(section.left_margin) - 28) < 1
    block_w = mm(section.page_width) - mm(section.left_margin) - mm(section.right_margin)
    block_h = mm(section.page_height) - mm(section.top_margin) - mm(section.bottom_margin)
    assert abs(block_w - 156) < 1 and abs(block_h - 225) < 1
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and int(grid.get(qn("w:linePitch"))) * 22 <= block_h / 25.4 * 1440


def test_styles_name_the_office_fonts_with_their_east_asian_attribute(made):
    styles = made["word"].styles
    normal, title = styles["Normal"], styles["公文标题"]
    assert _east_asia(normal) == "仿宋_GB2312" and normal.font.size.pt == 16  # 3号
    assert _east_asia(title) == "方正小标宋简体" and title.font.size.pt == 22  # 2号
    assert _east_asia(styles["Heading 1"]) == "黑体" and styles["Heading 1"].font.size.pt == 16
    assert _east_asia(styles["Heading 2"]) == "楷体_GB2312" and styles["Heading 2"].font.size.pt == 16
    assert normal.font.name == "Times New Roman"  # digits and Latin text
    # 22 lines of 28 characters: exact 28.95 pt lines; 16 pt characters condensed by 0.2 pt
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + spacing) <= 156 / 25.4 * 72 < 29 * (16 + spacing)


def test_headings_paragraphs_and_title_use_the_styles(made):
    word, doc = made["word"], made["doc"]
    paragraphs = word.paragraphs
    by_style = lambda name: [p.text for p in paragraphs if p.style.name == name]  # noqa: E731
    assert "双鸭山市2020年上半年\n招商引资和项目建设情况通报" in by_style("公文标题")  # broken between phrases
    assert by_style("Heading 1") == [s.heading for s in doc.issued() if s.heading]
    assert [s.title for s in doc.issued() if s.annex] == by_style("公文标题")[2:]  # the 附件 titles
    assert by_style("Heading 2") == [b.text for b in doc.blocks(Heading)]
    body = "\n".join(p.text for p in paragraphs)
    assert doc.summary in body
    for p in doc.section("problems").blocks[:2]:
        assert p.lead_in + p.text in body


def test_page_numbers_odd_right_even_left_with_a_page_field(made):
    word = made["word"]
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert xml.count('w:fldCharType="begin"') == 1 and xml.count('w:fldCharType="end"') == 1
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment.name.lower() == align
        assert p.style.font.size.pt == 14  # 4号


def test_tables_are_word_tables_with_a_repeated_header_row(made):
    word, doc = made["word"], made["doc"]
    tables = doc.issued_tables
    assert len(word.tables) == len(tables) and "inputs" not in [t.key for t in tables]
    for wt, table in zip(word.tables, tables):
        rows = wt.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)  # no row split
        # the header cells broken between words only (签约额 / （亿元）)
        assert [c.text.replace("\n", "") for c in rows[0].cells] == [c.header for c in table.columns]
        for r in range(len(table.rows)):
            assert [c.text for c in rows[r + 1].cells] == [table.text(r, c) for c in range(len(table.columns))]
    captions = [p.text for p in word.paragraphs if p.style.name == "表题"]
    # an 附件 is shown under its title, not a caption; the tables of an 附件 with several under their own titles
    assert [t.printed_caption for t in tables if t.printed_caption] == [c for c in captions if not c.startswith("图")]
    assert "省级百大项目推进情况（分县区）" in captions


def test_charts_are_images(made):
    word, doc = made["word"], made["doc"]
    assert len(word.inline_shapes) == len(doc.charts) == 3
    with zipfile.ZipFile(made["path"]) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
        assert images and all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in images)
    captions = [p.text for p in word.paragraphs if p.style.name == "表题"]
    assert [c.caption for c in doc.charts.values()] == [c for c in captions if c.startswith("图")]


def test_the_documents_own_lines_and_no_provenance(made):
    text = "\n".join(p.text for p in made["word"].paragraphs)
    for line in (
        "双鸭山市招商引资工作领导小组办公室文件",
        "双招商办通〔2020〕6号",
        "各县（区）人民政府，市直有关单位：",
        "2020年7月10日",
        "抄送：市政府办公室。",
        "双鸭山市招商引资工作领导小组办公室\t2020年7月10日印发",
    ):
        assert line in text, line
    assert text.index("双招商办通") < text.index("双鸭山市2020年上半年") < text.index("各县（区）人民政府")
    assert "SHA-256" not in text and "程序版本" not in text and "ab" * 32 not in text
    red = [r for p in made["word"].paragraphs for r in p.runs if r.text.endswith("文件")]
    assert red and str(red[0].font.color.rgb) == "FF0000"


def test_empty_fields_are_left_out(tmp_path):
    doc = doc_for(write_demo_processed(tmp_path / "p"))
    word = read_docx(str(writer.write_document(doc, tmp_path / "r")))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "抄送" not in text and "印发" not in text and "文件" not in text.split("\n")[0]
    assert "".join(text.strip().splitlines()[:2]) == doc.title  # no red header, no 发文字号: the title first


def test_reproducible_and_named_by_edition(made, tmp_path):
    again = writer.write_document(doc_for(made["base"], config_dir=made["cfg"]), tmp_path)
    assert again.read_bytes() == made["path"].read_bytes()
    assert made["path"].name == "bulletin.docx"
    en = writer.write_document(doc_for(made["base"], lang="en"), tmp_path)
    assert en.name == "bulletin.en.docx" and en.parent == again.parent
    assert read_docx(io.BytesIO(en.read_bytes())).core_properties.language == "en"


def test_an_office_template_keeps_its_styles(made, tmp_path):
    """reference.docx in the configuration folder: its styles are used as they are."""
    ref = read_docx()
    from docx.shared import Pt

    ref.styles["Normal"].font.size = Pt(15)
    ref.styles["Normal"].font.name = "Our Face"
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    ref.save(str(cfg / writer.REFERENCE))
    path = writer.write_document(doc_for(made["base"], config_dir=cfg), tmp_path / "r")  # the edition's folder
    normal = read_docx(str(path)).styles["Normal"]
    assert normal.font.size.pt == 15 and normal.font.name == "Our Face"
