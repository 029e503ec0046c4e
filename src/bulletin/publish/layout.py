"""Line and column layout that the PDF page and the Word document share, computed once
from the text so that both break the same way (:mod:`bulletin.publish.page`,
:mod:`bulletin.publish.docx`):

* :func:`title_lines` — the title in balanced lines broken at phrase boundaries
  (after the place name, the year, the period; around 招商引资, 和, 项目建设; before
  情况通报), never inside a word;
* :func:`fit_table` — a table's column widths from its content (the longest cell of
  each column, in ems of the table's font), its header cells broken into lines only
  between words and before a unit in brackets (``签约额`` / ``（亿元）``, never
  ``签约额（亿`` / ``元）``, never ``排`` / ``名``), numbers on one line, and the
  table's font size: the largest of :data:`TABLE_SIZES` at which the columns fit the
  156 mm text block.

Widths are estimates in ems from the character classes (a Chinese character 1 em, a
digit 0.5 em as in Times New Roman / Liberation Serif, the Latin face of both files),
on the generous side, so that a computed line really fits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol


class Table(Protocol):
    """What :func:`fit_table` reads of a :class:`bulletin.report.document.Table` (not
    imported: the PDF's publishing stage imports this module, not the report's code)."""

    columns: list
    rows: list

    def text(self, r: int, c: int) -> str: ...


BLOCK_PT = 156 / 25.4 * 72  # the text block's width: 442.2 pt
TITLE_PT = {"zh": 22.0, "en": 18.0}  # 2号 方正小标宋简体; the English edition's bold serif
ANNEX_TITLE_PT = 18.0  # 小二: an 附件's title (the English edition's too)
# The English edition's Word styles as bulletin.css sets its PDF (html:lang(en)): 12 pt on
# 1.5 lines, paragraphs 6 pt apart instead of indented, bold 13 pt headings, an 18 pt bold
# title. Style name → (size pt, first-line indent in characters, exact line pt, bold).
EN_STYLES = {
    "Normal": (12.0, 0, 18.0, False),
    "公文标题": (18.0, 0, 23.4, True),
    "Heading 1": (13.0, 0, 19.5, True),
    "Heading 2": (13.0, 0, 19.5, False),
    "表题": (14.0, 0, 0, True),
}
CELL_PAD_PT = 11.0  # a cell's left and right margins with its rule (Word 2 × 5.4 pt; the PDF's CSS alike)
TABLE_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0)  # 五号 first, then smaller until the columns fit
WRAP_MIN_EMS, WRAP_WANT_EMS = 6.0, 16.0  # a wrapping text column: at least, and at most wanted

_NARROW = {".": 0.25, ",": 0.25, ":": 0.28, ";": 0.28, " ": 0.25, "-": 0.34, "/": 0.28, "(": 0.34, ")": 0.34}
_NARROW.update({"%": 0.84, "'": 0.2, "|": 0.2, "!": 0.34, "i": 0.28, "l": 0.28, "j": 0.28, "t": 0.28, "f": 0.34})


def char_ems(ch: str) -> float:
    """One character's width in ems (generous: a line measured so fits).

    >>> char_ems("县"), char_ems("5"), char_ems("%"), char_ems("W")
    (1.0, 0.5, 0.84, 0.95)
    """
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in _NARROW:
        return _NARROW[ch]
    if ch.isdigit():
        return 0.5
    if ch in "MWmw@—":
        return 0.95
    if ch.isupper():
        return 0.72
    return 0.52


def text_ems(text: str) -> float:
    """The width of a text in ems of its font (the widest of its lines).

    >>> text_ems("宝清县"), text_ems("100.0%"), text_ems("a\\n签约额")
    (3.0, 3.09, 3.0)
    """
    return max((sum(char_ems(ch) for ch in line) for line in text.split("\n")), default=0.0)


# --------------------------------------------------------------------------- words
# The words of the tables' headers (config/wording): a header breaks between them only.
# A character not in a word keeps to its neighbour (签约项目数 → 签约 / 项目数); an unknown
# run of characters breaks in pairs.
WORDS = frozenset(
    (
        "招商 活动 签约 签约额 项目 项目数 年度 目标 完成 完成率 红绿灯 排名 "
        "开复工 开复工数 开复工率 计划 投资 投资方 累计 入统数 入统率 名称 "
        "所在地 日期 方式 情况 存在 问题 读取 行数 有效 记录 退回 错误 警告 "
        "文件 大小 校验值 类别 工作表 行号 字段 填报 内容 说明 产业链 来源地 "
        "比重 到位 资金 到位率 包保 领导 尚未 未开复工 序号 县区 合计 全市 "
        "数量 金额 实际 到位资金 开工 竣工 产业 亿元 万元 个数 占比 同比 环比 "
        "增长 增幅 进度 时序 备注 "
    ).split()
)
_BRACKETS = re.compile(r"（[^）]*）|\([^)]*\)|【[^】]*】|《[^》]*》")
_CJK = re.compile(r"[\u3400-\u9fff]+")


def _cjk_words(run: str) -> list[str]:
    """A run of Chinese characters as words: longest known word first, a lone
    character joined to the word before it (or after it, at the start), unknown runs
    in pairs.

    >>> _cjk_words("签约项目数"), _cjk_words("占签约额比重"), _cjk_words("尚未开复工的项目"), _cjk_words("甲乙丙")
    (['签约', '项目数'], ['占签约额', '比重'], ['尚未', '开复工的', '项目'], ['甲乙丙'])
    """
    words: list[str] = []
    i = 0
    while i < len(run):
        n = next((n for n in range(min(5, len(run) - i), 1, -1) if run[i : i + n] in WORDS), 0)
        if n:
            words.append(run[i : i + n])
            i += n
            continue
        j = i  # an unknown stretch: up to the next known word
        while j < len(run) and not any(run[j : j + n] in WORDS for n in range(2, 6)):
            j += 1
        chunk = run[i:j]
        pairs = [chunk[k : k + 2] for k in range(0, len(chunk), 2)]
        if len(pairs) > 1 and len(pairs[-1]) == 1:
            pairs[-2:] = [pairs[-2] + pairs[-1]]
        words.extend(pairs)
        i = j
    out: list[str] = []
    for w in words:  # a lone character keeps to its neighbour
        if len(w) == 1 and out:
            out[-1] += w
        elif out and len(out[-1]) == 1:
            out[-1] += w
        else:
            out.append(w)
    return out


def units(text: str) -> list[str]:
    """The pieces a header (or title) may break between: bracketed units whole, Latin
    words whole, Chinese text as words (:func:`_cjk_words`); a break never falls inside
    a piece. ``"".join(units(t)) == t`` (spaces kept at the end of a Latin word).

    >>> units("签约额（亿元）"), units("排名"), units("Signed amount (CNY bn)")
    (['签约额', '（亿元）'], ['排名'], ['Signed ', 'amount ', '(CNY bn)'])
    >>> units("SHA-256 校验值"), units("年度计划投资（亿元）")
    (['SHA-256 ', '校验值'], ['年度', '计划', '投资', '（亿元）'])
    """
    pieces: list[str] = []
    pos = 0
    for m in _BRACKETS.finditer(text):
        pieces += _plain_units(text[pos : m.start()])
        pieces.append(m.group())
        pos = m.end()
    pieces += _plain_units(text[pos:])
    return [p for p in pieces if p]


def _is_latin(text: str) -> bool:
    return not _CJK.search(text)


def _plain_units(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    for m in _CJK.finditer(text):
        out += re.findall(r"\S+\s*|\s+", text[pos : m.start()])
        out += _cjk_words(m.group())
        pos = m.end()
    out += re.findall(r"\S+\s*|\s+", text[pos:])
    return out


def _width(pieces: list[str]) -> float:
    return text_ems("".join(pieces).strip())


def balanced_lines(pieces: list[str], width: float) -> list[str]:
    """``pieces`` in the fewest lines of at most ``width`` ems (a piece wider than that
    alone on its line), then as even as can be: the longest line as short as possible,
    the earlier lines the longer on a tie.

    >>> balanced_lines(["签约额", "（亿元）"], 4), balanced_lines(["年度", "计划", "投资", "（亿元）"], 6)
    (['签约额', '（亿元）'], ['年度计划投资', '（亿元）'])
    """
    n = len(pieces)
    if not n:
        return [""]
    # best[i] = (lines, longest, -first line) for pieces[i:]
    best: list[tuple | None] = [None] * n + [(0, 0.0, 0.0, [])]
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n + 1):
            w = _width(pieces[i:j])
            if w > width and j > i + 1:
                break
            rest = best[j]
            cand = (rest[0] + 1, max(w, rest[1]), -w, [j, *rest[3]])
            if best[i] is None or cand[:3] < best[i][:3]:
                best[i] = cand
    cuts, lines, start = best[0][3], [], 0
    for end in cuts:
        lines.append("".join(pieces[start:end]).strip())
        start = end
    return lines


# --------------------------------------------------------------------------- the title
_PERIOD = re.compile(
    r"^(\d{1,2}\s*[-－—–~至]\s*\d{1,2}月份?|\d{1,2}月份?|上半年|下半年|前三季度|全年|第?[一二三四]季度)"
)
_PLACE = re.compile(r"^.+?[省市州盟县区旗](?=\d|20|19|$)")
_BEFORE = ("招商引资", "和", "项目建设", "情况通报", "工作情况", "通报")  # a line may start with these


def title_units(title: str) -> list[str]:
    """The title's phrases: the place name, the year, the period, then the subject cut
    before 招商引资, 和, 项目建设, 情况通报 (an English title: its words).

    >>> title_units("双鸭山市2020年上半年招商引资和项目建设情况通报")
    ['双鸭山市', '2020年', '上半年', '招商引资', '和', '项目建设', '情况通报']
    >>> title_units("乙市2020年1-7月招商引资和项目建设情况通报")[:3]
    ['乙市', '2020年', '1-7月']
    """
    if _is_latin(title):
        return re.findall(r"\S+\s*", title)
    out: list[str] = []
    rest = title
    m = _PLACE.match(rest)
    if m:
        out.append(m.group())
        rest = rest[m.end() :]
    m = re.match(r"\d{4}\s*年", rest)
    if m:
        out.append(m.group())
        rest = rest[m.end() :]
        m = _PERIOD.match(rest)
        if m:
            out.append(m.group())
            rest = rest[m.end() :]
    spans = [(i, i + len(word)) for word in _BEFORE for i in _find_all(rest, word)]
    inside = {k for a, b in spans for k in range(a + 1, b)}  # 情况通报 is not cut before 通报
    cuts = sorted({0, len(rest)} | {a for a, _ in spans if a not in inside})
    out += [rest[a:b] for a, b in zip(cuts, cuts[1:]) if rest[a:b]]
    return out


def _find_all(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def title_lines(title: str, lang: str = "zh", size_pt: float | None = None) -> list[str]:
    """The title in as few lines as fit the text block (at 2号, 22 pt: 20 characters),
    balanced, broken only between phrases (:func:`title_units`): a line never ends
    inside a word.

    >>> title_lines("双鸭山市2020年上半年招商引资和项目建设情况通报")
    ['双鸭山市2020年上半年', '招商引资和项目建设情况通报']
    """
    size = size_pt or TITLE_PT.get(lang, TITLE_PT["zh"])
    return balanced_lines(title_units(title), BLOCK_PT / size - 1.0)  # an em spare: never edge to edge


# --------------------------------------------------------------------------- tables
@dataclass
class TableFit:
    """How a table is set: its font size (pt), each column's width (mm, together the
    text block's 156 mm) and each header cell's lines."""

    size: float
    widths: list[float]
    headers: list[list[str]]

    @property
    def shares(self) -> list[float]:
        """The widths as percentages of the table's width."""
        total = sum(self.widths) or 1.0
        return [100.0 * w / total for w in self.widths]


def _column_needs(table: Table) -> tuple[list[float], list[list[str]], list[bool]]:
    contents, pieces, wraps = [], [], []
    for c, col in enumerate(table.columns):
        wrap = col.wrap and col.kind in ("text", "ledger")
        texts = [table.text(r, c) for r in range(len(table.rows))]
        longest = max([text_ems(t) for t in texts] + [1.0])
        if col.kind == "light":
            longest += 1.1  # the light's mark before its word
        contents.append(min(longest, WRAP_WANT_EMS) if wrap else longest)
        pieces.append(units(col.header))
        wraps.append(wrap)
    return contents, pieces, wraps


def _lines_at(pieces: list[str], width: float) -> int:
    return len(balanced_lines(pieces, width))


def _narrowest(pieces: list[str], lines: int, start: float) -> float | None:
    """The narrowest width ≥ ``start`` at which the header takes at most ``lines``."""
    cands = sorted({_width(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)})
    return next((w for w in cands if w >= start and _lines_at(pieces, w) <= lines), None)


def fit_table(table: Table, block_pt: float = BLOCK_PT) -> TableFit:
    """Column widths from the content, header lines from the words, and the largest
    font of :data:`TABLE_SIZES` at which it fits (the smallest when none does: then
    the columns are scaled to the block)."""
    contents, pieces, wraps = _column_needs(table)
    n = len(table.columns)
    for size in TABLE_SIZES:
        avail = (block_pt - n * CELL_PAD_PT) / size
        widths = [
            WRAP_MIN_EMS if wrap else max(need, max((_width([p]) for p in ps), default=1.0))
            for need, ps, wrap in zip(contents, pieces, wraps)
        ]
        if sum(widths) <= avail:
            break
    free = avail - sum(widths)
    free = _fewer_header_lines(widths, pieces, free, most=2)
    for c in range(n):  # wrapping text columns up to what they want
        if wraps[c] and free > 0:
            grow = min(free, max(0.0, contents[c] - widths[c]))
            widths[c] += grow
            free -= grow
    free = _fewer_header_lines(widths, pieces, free, most=1)
    if free > 0:  # the rest: to the text columns, else to all alike
        share = [c for c in range(n) if wraps[c]] or list(range(n))
        for c in share:
            widths[c] += free / len(share)
    headers = [balanced_lines(ps, w + 0.01) for ps, w in zip(pieces, widths)]
    mm = [(w * size + CELL_PAD_PT) * 25.4 / 72 for w in widths]
    scale = min(1.0, (block_pt * 25.4 / 72) / sum(mm)) if mm else 1.0
    return TableFit(size, [w * scale for w in mm], headers)


def _fewer_header_lines(widths: list[float], pieces: list[list[str]], free: float, most: int) -> float:
    """Widen the columns whose headers take more than ``most`` lines, the header with the
    most lines first, while the width lasts; returns what is left."""
    while free > 0:
        best = None
        for c, ps in enumerate(pieces):
            lines = _lines_at(ps, widths[c] + 0.01)
            if lines <= most:
                continue
            w = _narrowest(ps, lines - 1, widths[c])
            if w is not None and w - widths[c] <= free:
                key = (-lines, w - widths[c])
                if best is None or key < best[0]:
                    best = (key, c, w)
        if best is None:
            return free
        _, c, w = best
        free -= w - widths[c]
        widths[c] = w
    return free
