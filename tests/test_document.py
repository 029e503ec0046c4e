"""The issued document end to end (SPEC §10): a run with the office's document.yaml and
one edited wording template, its HTML, PDF and Word document; the Word document opened
by a real office suite (LibreOffice, headless); the English edition beside it."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from docx import Document as read_docx

from bulletin.paths import TEMPLATES_DIR
from bulletin.sample import write_sample
from conftest import pipeline

pytestmark = pytest.mark.slow
PERIOD = "2020-06"
DETAILS = {
    "issuer": "双鸭山市招商引资工作领导小组办公室",
    "doc_number": "双招商办通〔2020〕6号",
    "recipients": "各县（区）人民政府，市直有关单位",
    "date": "2020年7月10日",
}
EDITED = "据各县区报送的台账统计，全市"  # lead.prefix, edited by the office
FONTS_CONF = TEMPLATES_DIR / "fontconfig" / "gongwen.conf"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_text(path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<svg.*?</svg>|<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def docx_text(path) -> str:
    word = read_docx(str(path))
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("document")
    write_sample(root / "raw", ("2020-05", PERIOD))
    cfg = root / "config"
    (cfg / "wording" / "zh").mkdir(parents=True)
    (cfg / "document.yaml").write_text(
        "\n".join(
            [
                f"issuer: {DETAILS['issuer']}",
                f"doc_number: {DETAILS['doc_number']}",
                f"recipients: {DETAILS['recipients']}",
                "date: 2020-07-10",
                "copy_to: 市政府办公室",
                f"printed_by: {DETAILS['issuer']}",
                "printed_on: 2020-07-10",
                "red_header: true",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (cfg / "wording" / "zh" / "ours.yaml").write_text(
        '# 开篇的写法\nlead.prefix: "据各县区报送的台账统计，全市{{ span }}"\n', encoding="utf-8"
    )
    args = ["run", "--period", PERIOD, "--raw-dir", root / "raw", "--processed-dir", root / "processed"]
    args += ["--reports-dir", root / "reports", "--config-dir", cfg]
    proc = pipeline(*args)
    reports = root / "reports" / PERIOD
    return {"root": root, "args": args, "reports": reports, "stdout": proc.stdout}


def test_the_edited_sentence_is_in_html_pdf_and_docx(run):
    r = run["reports"]
    assert EDITED + "上半年共开展招商引资活动" in flat(page_text(r / "bulletin.html"))
    assert EDITED + "上半年共开展招商引资活动" in flat(pdf_text(r / "bulletin.pdf"))
    assert EDITED + "上半年共开展招商引资活动" in flat(docx_text(r / "bulletin.docx"))


def test_document_details_are_in_html_pdf_and_docx(run):
    r = run["reports"]
    for text in (page_text(r / "bulletin.html"), pdf_text(r / "bulletin.pdf"), docx_text(r / "bulletin.docx")):
        for value in DETAILS.values():
            assert flat(value) in flat(text), value


def test_the_issued_document_holds_no_provenance_the_internal_edition_does(run):
    r = run["reports"]
    for text in (page_text(r / "bulletin.html"), pdf_text(r / "bulletin.pdf"), docx_text(r / "bulletin.docx")):
        assert "SHA-256" not in text and "程序版本" not in text and "自动生成" not in text
    internal = page_text(r / "bulletin.internal.html")
    assert "SHA-256" in internal and "程序版本" in internal and "不随通报印发" in internal


def test_the_pdf_is_a_gongwen_page(run):
    """A4, page numbers "— n —" (odd right, even left), the body's, the title's, the
    headings' and 楷体 faces embedded."""
    pdf = run["reports"] / "bulletin.pdf"
    pages = pdf_text(pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 5
    for n, page in enumerate(pages, start=1):
        last = [line for line in page.splitlines() if line.strip()][-1]
        assert flat(last) == f"—{n}—", (n, last)
    # where the numbers stand: odd pages right (x > the page's middle), even pages left
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for n, page in enumerate(re.findall(r"<page .*?</page>", boxes, re.S), start=1):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page)
        x = next(float(x0) for x0, y0, w in words if w == str(n) and float(y0) > 760)
        assert (x > 297.6) == (n % 2 == 1), (n, x)
        assert 28 / 25.4 * 72 < x < (210 - 26) / 25.4 * 72  # within the text block's width
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # the stylesheet's faces (@font-face: the office's fonts, else FandolFang, Noto Sans CJK SC, FandolKai …)
    for face in ("公文仿宋", "公文标题", "公文黑体", "公文楷体"):
        assert face in fonts, fonts
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info


def test_libreoffice_opens_the_docx_and_its_pdf_holds_the_figures(run, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) is not installed")
    out = tmp_path / "lo"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(out), str(run["reports"] / "bulletin.docx")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "FONTCONFIG_FILE": str(FONTS_CONF)},
    )
    pdf = out / "bulletin.pdf"
    assert pdf.is_file(), proc.stdout + proc.stderr
    text = flat(pdf_text(pdf))
    html_text = flat(page_text(run["reports"] / "bulletin.html"))
    # the bulletin's figures: every number of the opening paragraph, and the tables' totals
    lead = re.search(EDITED + r"上半年.*?。", html_text).group(0)
    for figure in re.findall(r"\d+(?:\.\d+)?%?", lead):
        assert figure in text, figure
    word = read_docx(str(run["reports"] / "bulletin.docx"))
    figures = [
        c.text for t in word.tables for row in t.rows[1:] for c in row.cells if re.fullmatch(r"\d[\d.]*%?", c.text)
    ]
    assert len(figures) > 200
    missing = [f for f in figures if f not in text]
    assert missing == []
    for region in ("全市", "尖山区", "饶河县"):
        assert region in text
    for value in DETAILS.values():
        assert flat(value) in text
    pages = [p for p in pdf_text(pdf).split("\f") if p.strip()]
    assert len(pages) >= 5 and flat(pages[0].splitlines()[-1]) == "—1—"


def test_the_english_edition_does_not_overwrite_the_chinese_one(run):
    r = run["reports"]
    before = {name: (r / name).read_bytes() for name in ("bulletin.html", "bulletin.pdf", "bulletin.docx")}
    proc = pipeline(*run["args"], "--lang", "en")
    assert "保留未受影响的其他版本：中文版通报" in proc.stdout
    assert f"通报已生成：{r / 'bulletin.en.html'}" in proc.stdout  # the end of the run names the edition's files
    assert str(r / "bulletin.en.docx") in proc.stdout and str(r / "bulletin.en.xlsx") in proc.stdout
    for name in ("bulletin.en.html", "bulletin.en.internal.html", "bulletin.en.pdf", "bulletin.en.docx"):
        assert (r / name).is_file(), name
    assert (r / "bulletin.en.xlsx").is_file() and (r / "notebooks" / "bulletin.en.ipynb").is_file()
    assert {name: (r / name).read_bytes() for name in before} == before
    assert "Investment Promotion and Key Projects Bulletin" in page_text(r / "bulletin.en.html")
