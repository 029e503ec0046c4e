"""The bulletin as a document: the one model every writer renders.

A :class:`Document` is the bulletin in reading order — its title and subtitle, then
:class:`Section` s, each with a heading and blocks: :class:`Paragraph` s, sub-headings
(:class:`Heading`), numbered :class:`Table` s and :class:`Chart` s. It holds no HTML
and no file format: :mod:`bulletin.publish.page` renders it as the HTML fragments the
notebook displays, :mod:`bulletin.publish.excel` its tables as a workbook.

Table cells are raw values with a column *kind*; :meth:`Table.text` is the one way a
cell becomes text (through :func:`bulletin.report.format.display`), so that every
writer shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bulletin.config import Config
from bulletin.report import format as fmt
from bulletin.report.labels import DEFAULT_LANG, label, place
from bulletin.text import simplified

# What a ledger writes for "nothing" (存在问题：无, 开工时间：/ …): shown as the one
# missing-value mark of the bulletin, —.
NONE_MARKS = frozenset({"—", "——", "-", "--", "－", "–", "/", "／", "无", "暂无", "n/a"})


def ledger_text(value) -> str:
    """Ledger text for display, as the ledger has it (trimmed); missing → —.
    (:func:`bulletin.store.read_table` already took the CSV formula guard off.)

    >>> ledger_text("=SUM(A1)"), ledger_text(None), ledger_text(" x ")
    ('=SUM(A1)', '—', 'x')
    """
    if fmt.is_missing(value):
        return fmt.DASH
    return str(value).strip()


def display_text(value) -> str:
    """Ledger text as the bulletin shows it (project names, statuses, problems,
    investors): simplified characters, and one mark — for missing or "nothing".

    >>> display_text("東升大豆蛋白提取項目"), display_text("无"), display_text(" / "), display_text(None)
    ('东升大豆蛋白提取项目', '—', '—', '—')
    """
    text = simplified(ledger_text(value))
    return fmt.DASH if text.lower() in NONE_MARKS else text


@dataclass
class Column:
    """A table column: its header and the kind of its cells (see :func:`format.display`:
    ``money``, ``pct``, ``count``, ``seq``, ``light``, ``date``, ``size``; and the text
    kinds ``region`` (translated place name), ``ledger`` (ledger text shown simplified,
    :func:`display_text`), ``text`` (shown as written: file and sheet names, messages),
    ``hash``)."""

    header: str
    kind: str
    wrap: bool = False  # long text: wraps in HTML, PDF and Excel


@dataclass
class Table:
    """One numbered table of the bulletin, as raw values; every writer renders it alike."""

    key: str
    number: str
    title: str
    sheet: str
    columns: list[Column]
    rows: list[list]
    lang: str = DEFAULT_LANG
    total_rows: int = 0  # leading rows that are totals (全市)
    notes: list[str] = field(default_factory=list)
    cls: str = ""  # the table's kind: "regions", "list", "inputs"
    highlight: list[int] = field(default_factory=list)  # rows to stand out (a county edition's own row)
    annex: bool = False  # numbered as an 附件 (document.yaml ``annex``): placed after the text, its own page
    annex_part: bool = False  # one of several tables of its 附件: captioned by its title alone

    @property
    def caption(self) -> str:
        return self.number + label("cap.sep", self.lang) + self.title

    @property
    def printed_caption(self) -> str:
        """What the document prints above the table: its caption; '' for an 附件's only
        table (the 附件's title is above it); its title alone in an 附件 of several."""
        if self.annex:
            return self.title if self.annex_part else ""
        return self.caption

    def text(self, r: int, c: int) -> str:
        """The plain (unescaped) text of a cell, exactly as every writer shows it."""
        col, value = self.columns[c], self.rows[r][c]
        if col.kind == "region":
            return place(value, self.lang) if not fmt.is_missing(value) else fmt.DASH
        if col.kind == "ledger":
            return display_text(value)
        if col.kind in ("text", "hash"):
            return ledger_text(value)
        return fmt.display(col.kind, value, self.lang)


@dataclass
class Chart:
    """A numbered chart: ``svg`` sized for A4 print and desktops, ``svg_narrow`` for
    phones (the HTML shows one or the other by screen width; the PDF prints ``svg``)."""

    key: str
    number: str
    title: str
    svg: str
    lang: str = DEFAULT_LANG
    svg_narrow: str = ""
    png: str = ""  # the print drawing as PNG (base64), for the Word document

    @property
    def caption(self) -> str:
        return self.number + label("cap.sep", self.lang) + self.title


@dataclass
class Paragraph:
    """Running text; ``lead_in``: a bold opening (一是部分县区签约进度滞后。) before it.
    ``style``: ``lead`` (the opening paragraph), ``problem``, ``notes``, ``empty``,
    ``provenance``, the document's own lines ``signature`` (发文机关署名), ``date``
    (成文日期), ``copy_to`` and ``printed`` (版记), or '' (a plain paragraph)."""

    text: str
    style: str = ""
    lead_in: str = ""


@dataclass
class Heading:
    """A sub-heading inside a section: （一）省级百大项目."""

    text: str


Block = Paragraph | Heading | Table | Chart

ANNEX = "annex"  # the key of an 附件 section
# The tables document.yaml's ``annex`` may name (a family names all its tables:
# ``not_started`` the projects not started of every tier, ``projects`` every tier's
# per-region table), and those printed as 附件 when it names none: the long lists.
ANNEX_TABLES = (
    "signings",
    "top_signings",
    "chain",
    "area",
    "funds",
    "projects",
    "region_projects",
    "not_started",
    "leader",
    "quality",
    "quality_rows",
)
DEFAULT_ANNEX = (
    "top_signings",
    "chain",
    "area",
    "funds",
    "projects",
    "not_started",
    "leader",
    "quality",
    "quality_rows",
)
# Tables of one family, and the families below, share one 附件 (its title: the wording's
# annex.group.<group> when it holds more than one table): fewer 附件, each with its tables.
ANNEX_GROUPS = {"chain": "structure", "area": "structure", "funds": "structure", "quality_rows": "quality"}


def annex_group(key: str) -> str:
    """The 附件 a table numbered as one belongs to: its family's group.

    >>> annex_group("projects-industrial"), annex_group("area"), annex_group("leader")
    ('projects', 'structure', 'leader')
    """
    family = key.split("-", 1)[0]
    return ANNEX_GROUPS.get(family, family)


@dataclass
class Section:
    """A section: its heading (一、总体情况) and its blocks in order. ``key`` names it
    for the writers (``overview``, ``signings``, ``projects``, ``problems``,
    ``closing``, ``annex``, ``imprint``, ``sources``). An ``annex`` section (附件) starts a
    page: ``heading`` is its number (附件1), ``title`` its centred title, and its one
    table is shown without a caption."""

    key: str
    heading: str
    blocks: list[Block] = field(default_factory=list)
    internal: bool = False  # only in the internal edition (provenance), never in the issued one
    title: str = ""  # an annex's title (the table's)

    @property
    def annex(self) -> bool:
        return self.key == ANNEX

    def add(self, block: Block | None) -> None:
        """Append a block; ``None`` (a table or chart with nothing to show) and empty
        paragraphs are skipped."""
        if block is None or (isinstance(block, Paragraph) and not (block.text.strip() or block.lead_in)):
            return
        self.blocks.append(block)


@dataclass
class Masthead:
    """The issued document's own details (document.yaml; '' : left out): 发文机关署名,
    发文字号, 主送机关, 成文日期 (as shown), 抄送, 印发机关, 印发日期, and the red header
    (红头) with the issuing office's mark."""

    issuer: str = ""
    doc_number: str = ""
    recipients: str = ""
    date: str = ""
    copy_to: str = ""
    printed_by: str = ""
    printed_on: str = ""
    red_header: bool = False
    mark: str = ""  # 发文机关标志 of the red header


@dataclass
class Document:
    """One edition of the bulletin: ``lang`` and ``region`` ('' : the city's) say which."""

    period: str
    lang: str
    region: str
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)
    run_time: str = ""  # manifest.json's run time: the only date the outputs show
    summary: str = ""  # the opening paragraph's text (the workbook's 说明 sheet repeats it)
    notes: str = ""  # the definitions (口径说明)
    provenance: list[str] = field(default_factory=list)  # code version, run time lines
    masthead: Masthead = field(default_factory=Masthead)
    config: Config = field(kw_only=True)  # the configuration it was built with (the writers read it, never load it)

    def issued(self) -> list[Section]:
        """The sections of the issued document (no provenance)."""
        return [s for s in self.sections if not s.internal]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def blocks(self, kind: type) -> list:
        """Every block of a type, in document order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, kind)]

    @property
    def tables(self) -> dict[str, Table]:
        """The numbered tables by key, in document order."""
        return {t.key: t for t in self.blocks(Table)}

    @property
    def issued_tables(self) -> list[Table]:
        """The tables of the issued document, in order (not the internal annex's)."""
        return [b for s in self.issued() for b in s.blocks if isinstance(b, Table)]

    @property
    def charts(self) -> dict[str, Chart]:
        """The numbered charts by key, in document order."""
        return {c.key: c for c in self.blocks(Chart)}


def in_annex(key: str, annex: list[str] | tuple[str, ...] | frozenset[str]) -> bool:
    """Whether document.yaml's ``annex`` list names a table: its key, or the family
    before a ``-`` (``not_started`` names ``not_started-provincial_key`` …).

    >>> in_annex("not_started-industrial", ["not_started"]), in_annex("signings", ["leader"])
    (True, False)
    """
    return key in annex or key.split("-", 1)[0] in annex


class Numbers:
    """Numbers tables, annexes, annex tables and figures in the order they are asked for
    (表1…, 附件1…, 附表1…, 图1…). A table that document.yaml's ``annex`` names is
    numbered as an 附件 (附件1…) instead of a 表, and its key is kept in ``annexed``; the
    tables of one group (:func:`annex_group`) share their 附件's number."""

    def __init__(self, lang: str, annex: list[str] | tuple[str, ...] = ()):
        self.lang, self.n = lang, {"table": 0, "annex": 0, "appendix": 0, "figure": 0}
        self.annex, self.annexed = tuple(annex), set()
        self.groups: dict[str, str] = {}  # an 附件's group → its number

    def next(self, kind: str, key: str = "") -> str:
        if kind == "table" and key and in_annex(key, self.annex):
            self.annexed.add(key)
            group = annex_group(key)
            if group not in self.groups:
                self.n["annex"] += 1
                self.groups[group] = label("cap.annex", self.lang, n=self.n["annex"])
            return self.groups[group]
        self.n[kind] += 1
        return label(f"cap.{kind}", self.lang, n=self.n[kind])
