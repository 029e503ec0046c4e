"""The command line in Chinese: click's own words (``Usage:``, ``Options``, ``Show this
message and exit.``, the usage errors) translated, so that ``pipeline.py … --help`` and
a mistyped option read in Chinese like every other message of the pipeline.

click looks its words up with :func:`gettext.gettext` and :func:`gettext.ngettext`,
imported into each of its modules; :func:`install` points those names at the table
below (a word missing from it stays English). The option and command help texts are
written in Chinese in ``pipeline.py`` itself.

click lays help out for Latin text: it joins the lines of a paragraph with a space and
measures a line in characters. :class:`HelpFormatter` lays Chinese out: lines joined
without a space between two Chinese characters, widths measured on the terminal (a
Chinese character takes two columns), a line never starting with a closing mark
(，。、）…), headings ending in “：”.
"""

from __future__ import annotations

import importlib
import unicodedata

import click

# click's message ids (click 8.1–8.3) → Chinese
ZH = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不正确：{message}",
    "Invalid value: {message}": "值不正确：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不需要值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否要输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要输入以下之一：{possibilities}？）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "integer": "整数",
    "float": "数字",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已中止。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
}
CLICK_MODULES = ("core", "exceptions", "decorators", "formatting", "parser", "types")


def gettext(message: str) -> str:
    """``message`` in Chinese when the table has it.

    >>> gettext("Options"), gettext("something else")
    ('选项', 'something else')
    """
    return ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Make click speak Chinese (its modules' ``_`` and ``ngettext``)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


# ----------------------------------------------------------------------------- layout
NO_LINE_START = set("，。、；：？！）》」』】”’…%,.;:?!)")  # stays with the text before it
NO_LINE_END = set("（《「『【“‘(")  # stays with the text after it


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal.

    >>> width("月份 YYYY-MM"), width("abc")
    (12, 3)
    """
    return sum(2 if _wide(ch) else 1 for ch in text)


def join_lines(lines: list[str]) -> str:
    """The lines of a paragraph as one: a space between them unless both sides are
    Chinese.

    >>> join_lines(["下拉选择，", "日期有校验", "pipeline.py run", "或", "check 发现错误、", "verify 不一致"])
    '下拉选择，日期有校验 pipeline.py run 或 check 发现错误、verify 不一致'
    """
    out = ""
    for line in (x.strip() for x in lines):
        if out and line and not (_wide(out[-1]) and _wide(line[0])) and not (_mark(out[-1]) or _mark(line[0])):
            out += " "
        out += line
    return out


def _mark(ch: str) -> bool:
    """A Chinese punctuation mark (no space beside it)."""
    return _wide(ch) and unicodedata.category(ch).startswith("P")


UNITS = {"[": "]", "<": ">"}  # never broken: click's [默认：…] and placeholders like <月份>


def _tokens(text: str) -> list[list]:
    """[token, space before]: a Latin word (a path like docs/操作手册.md whole), a
    bracketed unit, or one Chinese character with the marks that may not be parted
    from it."""
    out: list[list] = []
    space = False
    closing = ""  # inside a unit until this mark
    for ch in text:
        if closing:
            out[-1][0] += ch
            closing = "" if ch == closing else closing
            continue
        if ch.isspace():
            space = True
            continue
        if ch in UNITS:
            closing = UNITS[ch]
            if out and not space and not _wide(out[-1][0][-1]):
                out[-1][0] += ch  # a word going on: data/raw/<月份>/
            else:
                out.append([ch, space and bool(out)])
            space = False
            continue
        prev = out[-1][0][-1] if out else ""
        word = out[-1][0] if out and not space else ""
        in_path = word[:1].isascii() and word[:1].isalnum() and "/" in word and not (_mark(prev) or _mark(ch))
        glued = out and not space and (ch in NO_LINE_START or prev in NO_LINE_END or in_path)
        latin_run = out and not space and not _wide(ch) and not _wide(prev)
        if glued or latin_run:
            out[-1][0] += ch
        else:
            out.append([ch, space and bool(out)])
        space = False
    return out


def fill(text: str, columns: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` (one paragraph) in lines of at most ``columns`` terminal columns
    (a longer word overflows), the first line starting with ``first``, the others
    with ``rest``.

    >>> fill("退出码：0 成功；1 台账有错误。", 12)
    ['退出码：0 成', '功；1 台账有', '错误。']
    """
    lines, line, used = [], first, width(first)
    fresh = True
    for token, space in _tokens(text):
        need = width(token) + (1 if space and not fresh else 0)
        if not fresh and used + need > columns:
            lines.append(line.rstrip())
            line, used, fresh = rest, width(rest), True
            need = width(token)
        line += (" " if space and not fresh else "") + token
        used += need
        fresh = False
    lines.append(line.rstrip())
    return lines


def wrap(text: str, columns: int, indent: str = "") -> str:
    """click's ``wrap_text(preserve_paragraphs=True)`` for Chinese: paragraphs apart
    by a blank line, a paragraph after a ``\\b`` line kept as written."""
    paragraphs, buf = [], []
    for line in [*text.expandtabs().splitlines(), ""]:
        if line.strip():
            buf.append(line)
            continue
        if buf:
            extra = " " * (len(buf[0]) - len(buf[0].lstrip()))
            if buf[0].strip() == "\b":
                paragraphs.append("\n".join(indent + extra + x for x in buf[1:]))
            else:
                pad = indent + extra
                paragraphs.append("\n".join(fill(join_lines(buf), columns, pad, pad)))
            buf = []
    return "\n\n".join(paragraphs)


class HelpFormatter(click.HelpFormatter):
    """click's help layout, measured and wrapped for Chinese (see the module docstring)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        self.write(wrap(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(r[0]) for r in rows), default=0), col_max) + col_spacing
        pad = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + pad)
            lines = wrap(second, max(self.width - first_col - self.current_indent, 10)).splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write((pad + line if line else "") + "\n")


class Context(click.Context):
    formatter_class = HelpFormatter


def _hint(param) -> str:
    opts = "/".join(param.opts) if getattr(param, "opts", None) else param.name
    metavar = f" {param.metavar}" if getattr(param, "metavar", None) else ""
    return f"{opts}{metavar}"


class _ChineseErrors:
    """Usage errors as Chinese sentences (click's end in a Latin full stop)."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.MissingParameter as exc:
            if exc.param is None:
                raise
            raise click.UsageError(f"缺少必填的选项 {_hint(exc.param)}。", ctx) from None
        except click.NoSuchOption as exc:
            maybe = "、".join(exc.possibilities or [])
            raise click.UsageError(
                f"没有选项 {exc.option_name}。" + (f"是否要输入 {maybe}？" if maybe else ""), ctx
            ) from None


class Command(_ChineseErrors, click.Command):
    """A command whose usage line says ``[选项]``, whose help is laid out for Chinese,
    and whose usage errors read as Chinese sentences."""

    context_class = Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(_ChineseErrors, click.Group):
    """A group of :class:`Command` (and of groups like itself), usage ``命令 [参数]...``."""

    command_class = Command
    context_class = Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as exc:
            maybe = "、".join(exc.possibilities or [])
            known = "、".join(self.list_commands(ctx))
            raise click.UsageError(
                f"没有命令 {exc.command_name}。" + (f"是否要输入 {maybe}？" if maybe else f"可用的命令：{known}。"),
                ctx,
            ) from None


Group.group_class = Group
