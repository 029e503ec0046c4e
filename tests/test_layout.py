"""The issued document's layout (issue 23): 附件 after a short body (configurable in
document.yaml), titles broken between phrases, table headers broken between words and
before units, numbers on one line, charts that float — measured in the model, the HTML,
the PDF and the Word document as LibreOffice sets it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from bulletin.errors import WordingError
from bulletin.paths import TEMPLATES_DIR
from bulletin.publish import floats, page
from bulletin.publish.layout import balanced_lines, fit_table, text_ems, title_lines, title_units, units
from bulletin.report import format as fmt
from bulletin.report.document import Table
from conftest import pipeline
from report_demo import doc_for, write_demo_processed

TITLE = "{city}{period}招商引资和项目建设情况通报"
SECOND_CITY = "乙市"  # tests/test_second_city.py's city


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return write_demo_processed(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def doc(base):
    return doc_for(base)


@pytest.fixture(scope="module")
def doc_en(base):
    return doc_for(base, lang="en")


def doc_in(request, lang: str):
    """The module's model of the demo in ``lang`` (built once, only read by the tests)."""
    return request.getfixturevalue("doc" if lang == "zh" else "doc_en")


# --------------------------------------------------------------------------- titles
@pytest.mark.parametrize("city", ["双鸭山市", SECOND_CITY, "宝清县"])
def test_the_title_breaks_between_phrases_for_every_month(city):
    for month in range(1, 13):
        period = f"2020-{month:02d}"
        title = TITLE.format(city=city, period=fmt.period_label(period))
        lines = title_lines(title)
        assert "".join(lines) == title and 1 <= len(lines) <= 3, lines
        ends, pos = set(), 0
        for unit in title_units(title):
            pos += len(unit)
            ends.add(pos)
        pos = 0
        for line in lines:
            pos += len(line)
            assert pos in ends, (period, lines)  # a line ends where a phrase ends, never inside a word
            assert text_ems(line) <= 156 / 25.4 * 72 / 22 - 1, (period, line)  # 2号 in the 156 mm block
        # balanced: the longer line is at most the shorter plus the longest phrase
        if len(lines) == 2:
            widths = sorted(text_ems(line) for line in lines)
            assert widths[1] - widths[0] <= max(text_ems(u) for u in title_units(title)) + 5
        assert not lines[-1].startswith(("况", "情况通", "报")) and not lines[0].endswith(("情", "建"))


def test_the_titles_the_issue_names():
    assert title_lines(TITLE.format(city="双鸭山市", period="2020年1-7月")) == [
        "双鸭山市2020年1-7月",
        "招商引资和项目建设情况通报",
    ]
    assert title_lines(TITLE.format(city=SECOND_CITY, period="2020年1-7月")) == [
        "乙市2020年1-7月招商引资",
        "和项目建设情况通报",
    ]
    english = title_lines("Shuangyashan: Investment Promotion and Key Projects Bulletin, January–July 2020", "en")
    assert len(english) == 2 and all(not line.endswith(" ") for line in english)
    assert " ".join(english) == "Shuangyashan: Investment Promotion and Key Projects Bulletin, January–July 2020"


def test_the_title_in_html_and_word_has_the_same_breaks(doc, tmp_path):
    from docx import Document as read_docx

    from bulletin.publish import docx as writer

    assert '<h1 class="bulletin-title">双鸭山市2020年上半年<br>招商引资和项目建设情况通报</h1>' in page.header_html(doc)
    word = read_docx(str(writer.write_document(doc, tmp_path)))
    titles = [p.text for p in word.paragraphs if p.style.name == "公文标题"]
    assert titles[0] == "双鸭山市2020年上半年\n招商引资和项目建设情况通报"


# --------------------------------------------------------------------------- table headers and widths
def test_header_units_keep_units_and_two_character_words_whole():
    assert units("签约额（亿元）") == ["签约额", "（亿元）"]
    assert units("排名") == ["排名"] and units("完成年度目标") == ["完成", "年度", "目标"]
    assert balanced_lines(units("签约额（亿元）"), 3.5) == ["签约额", "（亿元）"]
    assert balanced_lines(units("完成年度目标"), 4) == ["完成年度", "目标"]
    assert balanced_lines(units("排名"), 1) == ["排名"]  # narrower than the word: the word stays whole
    assert balanced_lines(units("Signed amount (CNY bn)"), 6) == ["Signed", "amount", "(CNY bn)"]


def _header_lines(html: str) -> list[list[str]]:
    heads = re.findall(r"<thead><tr>(.*?)</tr></thead>", html)
    return [
        [line.strip() for line in th.split("<br>")] for head in heads for th in re.findall(r"<th[^>]*>(.*?)</th>", head)
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_header_cells_break_only_between_words(request, lang):
    d = doc_in(request, lang)
    html = page.page_html(d)
    cells = _header_lines(html)
    assert len(cells) == sum(len(t.columns) for t in d.issued_tables)
    for lines in cells:
        header = ("" if lang == "zh" else " ").join(lines)
        pieces = [u.strip() for u in units(header)]
        for line in lines:  # each line is whole pieces of the header
            assert any(
                "".join(pieces[i:j]) == line.replace(" ", "")
                for i in range(len(pieces))
                for j in range(i, 1 + len(pieces))
            ) or any(" ".join(pieces[i:j]) == line for i in range(len(pieces)) for j in range(i, 1 + len(pieces))), (
                header,
                lines,
            )
    flat = [line for lines in cells for line in lines]
    if lang == "zh":
        assert "排" not in flat and "名" not in flat and not any(line.endswith("（亿") for line in flat)
        assert not any(line.startswith("元）") for line in flat)
        assert ["签约额", "（亿元）"] in cells or ["签约额（亿元）"] in cells


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_columns_are_as_wide_as_their_numbers(request, lang):
    """Every numeric column is at least as wide as its widest figure (plus the cell's
    margins) at the table's own size, and the table fills the 156 mm block."""
    d = doc_in(request, lang)
    for table in d.issued_tables:
        fit = fit_table(table)
        assert abs(sum(fit.widths) - 156) < 0.5 and 8 <= fit.size <= 10.5
        for c, col in enumerate(table.columns):
            if col.kind in fmt.NUMERIC_KINDS:
                widest = max(text_ems(table.text(r, c)) for r in range(len(table.rows)))
                assert fit.widths[c] >= widest * fit.size * 25.4 / 72, (table.key, col.header)


# --------------------------------------------------------------------------- 附件
def _config(tmp_path, text: str):
    cfg = tmp_path / "config"
    cfg.mkdir(exist_ok=True)
    (cfg / "document.yaml").write_text(text, encoding="utf-8")
    return cfg


def test_annex_is_configurable_in_document_yaml(base, doc, tmp_path):
    # the default: the long lists and the per-region detail after the text
    assert [t.key for t in doc.issued_tables if not t.annex] == ["signings"]
    assert doc.tables["leader" if "leader" in doc.tables else "quality"].annex
    # an office moving the data-quality table back into 五、存在问题 and the tier tables into 四
    moved = doc_for(base, config_dir=_config(tmp_path, "annex: [top_signings, not_started]\n"))
    assert not moved.tables["quality"].annex and moved.tables["quality"].number.startswith("表")
    assert moved.section("problems").blocks[-1] is moved.tables["quality"]
    assert moved.tables["projects-provincial_key"] in moved.section("projects").blocks
    assert [s.title for s in moved.sections if s.annex][0] == "签约额居前的省外招商引资项目（前2项）"
    # none at all: every table in the text, no 附件 section, no 附件说明
    none = doc_for(base, config_dir=_config(tmp_path, "annex: []\n"))
    assert not any(s.annex for s in none.sections) and not any(t.annex for t in none.issued_tables)
    assert not [p for p in none.section("closing").blocks if p.style == "annex_list"]
    # the writers follow the model: the workbook's sheets and the HTML
    html = page.page_html(moved)
    assert html.index("各县区台账数据质量情况") < html.index('<h2 class="annex-number">附件1')


def test_an_unknown_annex_id_is_an_error_naming_it(base, tmp_path):
    with pytest.raises(WordingError, match="未知的表 qualty"):
        doc_for(base, config_dir=_config(tmp_path, "annex: [qualty]\n"))


# --------------------------------------------------------------------------- floating charts
def test_a_chart_floats_after_the_next_paragraph_only_when_the_text_fills_the_gap():
    chart = '<figure class="chart" id="figure-x"><img src="data:,"><figcaption>图1</figcaption></figure>'
    text = "签约" * 200
    html = f"<section>{chart}</section><section><h2>二、</h2><p>{text}</p><div>表</div></section>"
    moved = floats.move_after_next_paragraph(html, "figure-x", gap=300, height=300)
    assert moved.index(text) < moved.index("figure-x") < moved.index("<div>表")
    short = html.replace(text, "短")
    assert floats.move_after_next_paragraph(short, "figure-x", gap=300, height=300) == short  # would not fill
    table_first = f'<section>{chart}</section><div class="table-block"><p class="caption">表1</p></div>'
    assert floats.move_after_next_paragraph(table_first, "figure-x") == table_first


# --------------------------------------------------------------------------- the sample, printed
def _pdf_words(pdf) -> list[list[str]]:
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.findall(r"<word [^>]*>([^<]*)</word>", p) for p in re.findall(r"<page .*?</page>", boxes, re.S)]


@pytest.fixture(scope="module")
def sample(sample_run):
    """The shared sample run's period folder (read-only): the demo as an office sees it,
    with 同比 (2019-06) and 环比 (2020-05)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return sample_run.reports


# the 公文 page (GB/T 9704-2012): A4, the text block from 37 mm below the top to 35 mm above the foot
MM = 72 / 25.4
BLOCK_TOP, BLOCK_BOTTOM = 37 * MM, (297 - 35) * MM
BLANK_MAX = 1 / 3  # no body page more than a third empty


def _pdf_lines(pdf) -> list[list[tuple[float, str]]]:
    """Per page, its lines of text as (bottom y in pt, text), top to bottom, without the
    page number ("— 3 —" below the text block)."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for text in re.findall(r"<page .*?</page>", boxes, re.S):
        lines: dict[float, str] = {}
        for y_min, y_max, word in re.findall(r'<word [^>]*yMin="([\d.]+)" [^>]*yMax="([\d.]+)">([^<]*)</word>', text):
            if float(y_min) < BLOCK_BOTTOM:
                key = next((k for k in lines if abs(k - float(y_max)) < 3), float(y_max))
                lines[key] = lines.get(key, "") + word
        pages.append(sorted(lines.items()))
    return pages


def _body_pages(pages: list[list[str]]) -> int:
    """How many pages the body has: the pages before the one opening with 附件1 (Annex 1;
    LibreOffice spaces 附件 1)."""
    opens = lambda words: words[:1] == ["附件1"] or "".join(words[:2]) in ("附件1", "Annex1")  # noqa: E731
    return next(i for i, words in enumerate(pages) if opens(words))


@pytest.mark.slow
def test_the_sample_is_a_short_body_and_its_annexes(sample):
    pages = _pdf_words(sample / "bulletin.pdf")
    assert 4 <= _body_pages(pages) <= 8  # issue 23: about 4–8 pages of body, the long lists in 附件
    assert len(pages) <= 18
    # every number of the issued tables on one line: one word of the PDF, never cut in two
    from docx import Document as read_docx

    word = read_docx(str(sample / "bulletin.docx"))
    numbers = {
        c.text for t in word.tables for row in t.rows[1:] for c in row.cells if re.fullmatch(r"\d[\d.]*%?", c.text)
    }
    assert len(numbers) > 100
    printed = {w for words in pages for w in words}
    assert sorted(n for n in numbers if n not in printed) == []
    # the headers: a unit in brackets is never cut
    assert "（亿元）" in printed and not any(w.endswith("（亿") or w.startswith("元）") for w in printed)
    assert "排" not in printed and "名" not in printed


@pytest.mark.slow
def test_no_body_page_is_left_more_than_a_third_empty(sample):
    """Measured on the PDF: the lowest line of text of each body page but the last (a
    chart ends with its caption, a table with its last row's text)."""
    pages = _pdf_lines(sample / "bulletin.pdf")
    body = _body_pages(_pdf_words(sample / "bulletin.pdf"))
    for n, lines in enumerate(pages[: body - 1], start=1):
        blank = (BLOCK_BOTTOM - lines[-1][0]) / (BLOCK_BOTTOM - BLOCK_TOP)
        assert blank <= BLANK_MAX, (n, f"{blank:.0%} empty", lines[-1][1])


@pytest.mark.slow
def test_the_date_keeps_the_last_lines_of_the_text(sample):
    """The 成文日期 (and the 附件说明 above it) never alone on the last body page: the
    page holds at least three lines of the text before the 附件说明 (GB/T 9704-2012)."""
    pages = _pdf_lines(sample / "bulletin.pdf")
    body = _body_pages(_pdf_words(sample / "bulletin.pdf"))
    last = [text for _, text in pages[body - 1]]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", last[-1]), last[-1]  # the date ends the body
    listed = next(i for i, text in enumerate(last) if text.startswith("附件："))
    assert listed >= 3, last


def _libreoffice_pages(docx, out) -> list[list[str]]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) is not installed: scripts/setup.sh installs it")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(out), str(docx)],
        capture_output=True,
        timeout=300,
        env={**__import__("os").environ, "FONTCONFIG_FILE": str(TEMPLATES_DIR / "fontconfig" / "gongwen.conf")},
    )
    return _pdf_words(out / (docx.stem + ".pdf"))


@pytest.fixture(scope="module")
def word_as_set(sample, tmp_path_factory):
    """The sample's Word document as LibreOffice sets it: the PDF it prints."""
    out = tmp_path_factory.mktemp("libreoffice")
    _libreoffice_pages(sample / "bulletin.docx", out)
    return out / "bulletin.pdf"


@pytest.mark.slow
def test_libreoffice_sets_the_word_document_within_two_pages_of_the_pdf(sample, word_as_set):
    word_pages = _pdf_words(word_as_set)
    pdf_pages = _pdf_words(sample / "bulletin.pdf")
    assert abs(len(word_pages) - len(pdf_pages)) <= 2, (len(word_pages), len(pdf_pages))
    assert abs(_body_pages(word_pages) - _body_pages(pdf_pages)) <= 1
    assert "附件1" in "".join(w for words in word_pages for w in words)


ANNEX_NUMBER = re.compile(r"附件 ?\d+")
ANNEX_OPENING_LINES = 7  # its title, the header row and at least five rows (bulletin.css, docx.ANNEX_KEPT_ROWS)


def _annexes_opening_short(pages: list[list[tuple[float, str]]]) -> list[tuple[int, str, int]]:
    """(page, 附件N, lines after it) of each 附件 that opens with fewer lines than a title,
    a header and five rows at a page foot and goes on over the page."""
    short = []
    for n, lines in enumerate(pages):
        texts = [text for _, text in lines]
        for i, text in enumerate(texts):
            if not ANNEX_NUMBER.fullmatch(text):
                continue
            after = texts[i + 1 :]
            whole = any(ANNEX_NUMBER.fullmatch(t) for t in after) or n + 1 == len(pages)
            whole = whole or ANNEX_NUMBER.fullmatch(pages[n + 1][0][1] if pages[n + 1] else "") is not None
            if len(after) < ANNEX_OPENING_LINES and not whole:
                short.append((n + 1, text, len(after)))
    return short


@pytest.mark.slow
def test_an_annex_never_opens_with_a_row_or_two_at_a_page_foot(sample, word_as_set):
    """An 附件 opens with its number, title, header row and at least five rows on one page
    (all of a shorter table), in the PDF and in the Word document as LibreOffice sets it:
    the sample's 附件6 once opened with two rows at the foot of page 16."""
    assert _annexes_opening_short(_pdf_lines(sample / "bulletin.pdf")) == []
    assert _annexes_opening_short(_pdf_lines(word_as_set)) == []


@pytest.fixture(scope="module")
def sample_en(sample, sample_run, tmp_path_factory):
    """The sample's English edition, in a copy of the shared run (its cleaning and
    indicators reused)."""
    run = sample_run.copy(tmp_path_factory.mktemp("layout-en"))
    pipeline(*run.args("--lang", "en"))
    return run.reports


@pytest.mark.slow
def test_the_english_edition_in_word_and_pdf_alike(sample_en, tmp_path):
    pdf_pages = _pdf_words(sample_en / "bulletin.en.pdf")
    assert 4 <= _body_pages(pdf_pages) <= 8
    word_pages = _libreoffice_pages(sample_en / "bulletin.en.docx", tmp_path)
    assert abs(len(word_pages) - len(pdf_pages)) <= 2, (len(word_pages), len(pdf_pages))


@pytest.mark.slow
def test_the_pdf_embeds_the_gongwen_faces(sample):
    """The stylesheet's @font-face faces are really used (WeasyPrint reads the installed
    font files through the page's fetcher): 仿宋, 黑体, 楷体, 小标宋, and the Latin face."""
    fonts = subprocess.run(
        ["pdffonts", str(sample / "bulletin.pdf")], capture_output=True, text=True, check=True
    ).stdout
    for face in ("公文仿宋", "公文黑体", "公文楷体", "公文标题", "公文西文"):
        assert face in fonts, fonts


def test_table_fit_of_an_empty_table_is_sane():
    t = Table("x", "表1", "空", "空", [], [], "zh")
    assert fit_table(t).widths == []
