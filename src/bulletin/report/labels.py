"""Every word of the bulletin, from the wording files the office edits without Python.

The words live in ``config/wording/<lang>/*.yaml`` (one file per part of the
bulletin: ``overview.yaml`` for 一、总体情况, ``problems.yaml`` for 四、存在问题, …; a
``zh`` set and an ``en`` set). Each line is ``key: "text"``; the text is a Jinja2
template whose ``{{ name }}`` placeholders receive the figures, already written by
:mod:`bulletin.report.format` (``{{ amount }}`` is ``150.33``, never a raw number).

A configuration folder (``--config-dir``) may hold ``wording/<lang>/<any name>.yaml``
with some of the keys: its texts replace the packaged ones. A text that names an
unknown figure, or that is not a valid template, is an error naming the file, the
line and the key (:class:`~bulletin.errors.WordingError`) — when the wording is
loaded, not at the first bulletin that happens to need the sentence.

:class:`Wording` is an edition's language *with* its wording: it is the language code
(``"zh"``, ``"en"``: it compares, hashes and prints as one, so the code passes it
wherever a language goes) and carries the texts. ``label(key, lang, **fields)`` takes
either a Wording or a plain code (the packaged wording). An edition's Wording is made
from its configuration (:func:`wording`: the folder's texts, the regions' English names
of regions.yaml); a plain code knows no configuration, so no region's English name.

>>> label("tier.provincial_key")
'省级百大项目'
>>> label("light.red"), label("light.red", "en")
('红灯', 'red')
>>> from bulletin.config import load_config
>>> en = wording("en", load_config())
>>> place("宝清县", en), place("宝清县"), place("某新区", en), place("宝清县", "en")
('Baoqing County', '宝清县', '某新区', '宝清县')
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bulletin import yamlfile
from bulletin.config import Config
from bulletin.errors import ConfigError, WordingError
from bulletin.paths import CONFIG_DIR
from bulletin.report import sandbox

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")
WORDING_DIR = CONFIG_DIR / "wording"
PLACES_FILE = "places.yaml"  # place names (no templates): 全市 → City total; a region's English
# name is configuration (regions.yaml: city_en, each region's en), this file may override it


def check_lang(lang: str) -> str:
    """``lang`` if it is a language of the bulletin, else ValueError.

    >>> check_lang("en")
    'en'
    """
    if str(lang) not in LANGS:
        raise ValueError(f"language must be one of {sorted(LANGS)}, got {lang!r}")
    return lang


def _read(path: Path) -> list[tuple[str, str, int]]:
    """``(key, text, line)`` of a wording file, in file order (line: 1-based)."""
    try:
        node, _ = yamlfile.compose(path)
    except ConfigError as exc:
        raise WordingError(str(exc).replace("配置文件", "措辞文件", 1), **exc.place) from None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise WordingError(f"措辞文件 {path} 应为“键: 文字”的列表", file=path)
    out = []
    for key, value in node.value:
        if not isinstance(value, yaml.ScalarNode):
            line = value.start_mark.line + 1
            raise WordingError(
                f"措辞文件 {path} 第{line}行（{key.value}）：文字应为一行文本", file=path, row=line, field=key.value
            )
        out.append((str(key.value), str(value.value), key.start_mark.line + 1))
    return out


def environment():
    """The sandboxed template environment (:mod:`bulletin.report.sandbox`)."""
    return sandbox.environment()


def _is_template(text: str) -> bool:
    return sandbox.is_template(text)


def variables(text: str) -> set[str]:
    """The figures a text names.

    >>> sorted(variables("{{ a }}和{{ b }}")), variables("无")
    (['a', 'b'], set())
    """
    return sandbox.names(text)


ONLY = "措辞中只能写文字、{{ 名称 }}，以及 {% if 名称 %}…{% else %}…{% endif %}"


def check_text(text: str, where: str, line: int, key: str) -> None:
    """A wording text the sandbox allows (:func:`bulletin.report.sandbox.problems`), else a
    WordingError naming ``where`` (the file), the line and the key."""
    try:
        found = sandbox.problems(text, variables(text))
    except Exception as exc:  # noqa: BLE001 - jinja2's TemplateSyntaxError, named with its line
        at = line + max((getattr(exc, "lineno", 1) or 1) - 1, 0)
        raise WordingError(
            f"措辞文件 {where} 第{at}行（{key}）：模板写法有误：{exc}", file=where, row=at, field=key
        ) from exc
    if found:
        at, why = found[0]
        at = line + at - 1
        raise WordingError(
            f"措辞文件 {where} 第{at}行（{key}）：不允许的写法：{why}；{ONLY}", file=where, row=at, field=key
        )


class Wording(str):
    """An edition's language code with its texts (see the module docstring)."""

    texts: dict[str, str]
    where: dict[str, tuple[str, int]]
    places: dict[str, str]

    def __new__(cls, lang: str, config_dir: str = "", english: tuple = ()):
        check_lang(lang)
        obj = super().__new__(cls, str(lang))
        obj.config_dir = str(config_dir or "")
        obj.english = tuple(english)
        obj.texts, obj.where, obj.places = _texts(str(lang), obj.config_dir, obj.english)
        obj._compiled = {}
        return obj

    def __reduce__(self):
        return (Wording, (str(self), self.config_dir, self.english))

    def text(self, key: str, **fields) -> str:
        """The text of ``key`` with ``fields`` filled in."""
        try:
            raw = self.texts[key]
        except KeyError:
            raise KeyError(f"no wording {key!r} for {str(self)!r}") from None
        if not _is_template(raw):
            return raw
        template = self._compiled.get(key)
        if template is None:
            template = self._compiled[key] = sandbox.compile(raw)
        from jinja2 import TemplateError

        try:
            return template.render(**fields)
        except TemplateError as exc:
            file, line = self.where.get(key, ("?", 0))
            known = "、".join(sorted(fields)) or "（无）"
            raise WordingError(
                f"措辞文件 {file} 第{line}行（{key}）：{exc}；这句可用的数值：{known}",
                file=None if file == "?" else file,
                row=line or None,
                field=key,
            ) from exc


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


@lru_cache(maxsize=16)
def _packaged(lang: str) -> tuple[dict, dict, dict]:
    """The package's own texts. They are part of the program, not an input: the test
    suite holds every one to the sandbox's check (tests/test_safety.py), so a run does
    not parse them all again (~0.1 s in each process that loads the wording: the
    runner, the notebook kernel); a configuration folder's texts are checked as they
    are read (:func:`_texts`), and every text renders in the sandbox either way."""
    texts, where, places = {}, {}, {}
    for path in _files(WORDING_DIR / lang):
        rows = _read(path)
        if path.name == PLACES_FILE:
            places.update({k: v for k, v, _ in rows})
            continue
        for key, text, line in rows:
            texts[key] = text
            where[key] = (f"{path.parent.name}/{path.name}", line)
    return texts, where, places


@lru_cache(maxsize=64)
def allowed(key: str) -> frozenset[str]:
    """The figures a key's text may name: those its packaged texts name (both editions)."""
    names = set()
    for lang in LANGS:
        text = _packaged(lang)[0].get(key)
        if text is not None:
            names |= variables(text)
    return frozenset(names)


def _texts(lang: str, config_dir: str, english: tuple) -> tuple[dict, dict, dict]:
    texts, where, places = (dict(d) for d in _packaged(lang))
    if lang != "zh":  # the city's and the regions' names in the edition's language (regions.yaml)
        places.update(dict(english))
    if not config_dir:
        return texts, where, places
    for path in _files(Path(config_dir) / "wording" / lang):
        rows = _read(path)
        if path.name == PLACES_FILE:
            places.update({k: v for k, v, _ in rows})
            continue
        for key, text, line in rows:
            if key not in texts:
                raise WordingError(
                    f"措辞文件 {path} 第{line}行：没有“{key}”这一项（键名应与默认措辞文件中的一致）",
                    file=path,
                    row=line,
                    field=key,
                )
            check_text(text, str(path), line, key)
            unknown = sorted(variables(text) - allowed(key))
            if unknown:
                names = "、".join("{{ " + n + " }}" for n in unknown)
                known = "、".join("{{ " + n + " }}" for n in sorted(allowed(key))) or "（这句不含数值）"
                raise WordingError(
                    f"措辞文件 {path} 第{line}行（{key}）：未知的数值 {names}；这句可用的是 {known}",
                    file=path,
                    row=line,
                    field=key,
                )
            texts[key] = text
            where[key] = (str(path), line)
    return texts, where, places


def _stamp(config_dir: str) -> tuple:
    """What a folder's wording is cached by besides its path: its files' times and sizes
    (an edit in a long-lived process is seen), and its regions.yaml (English names)."""
    if not config_dir:
        return ()
    folder = Path(config_dir)
    files = [folder / "regions.yaml", *sorted((folder / "wording").rglob("*.yaml"))]
    out = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        out.append((str(f), st.st_mtime_ns, st.st_size))
    return tuple(out)


@lru_cache(maxsize=16)
def _wording(lang: str, config_dir: str, english: tuple, _stamp: tuple) -> Wording:
    return Wording(lang, config_dir, english)


def wording(lang: str, cfg: Config) -> Wording:
    """The wording of ``lang`` in the configuration ``cfg``: the packaged texts, replaced
    by those of ``<cfg.folder>/wording/<lang>/``, the places named as ``cfg`` names them
    in that language (regions.yaml ``en``). Loaded and checked once per process and
    folder state; the configuration is given, never loaded here."""
    config_dir = str(cfg.folder or "")
    english = tuple(cfg.english.items()) if str(lang) != "zh" else ()
    return _wording(str(lang), config_dir, english, _stamp(config_dir))


def packaged_wording(lang: str = DEFAULT_LANG) -> Wording:
    """The packaged texts of ``lang`` alone (no configuration folder, places as written
    but for the packaged wording's own ``places.yaml``): what a bare language code means."""
    return _wording(check_lang(str(lang)), "", (), ())


def _of(lang) -> Wording:
    return lang if isinstance(lang, Wording) else packaged_wording(lang)


def label(key: str, lang: str = DEFAULT_LANG, **fields) -> str:
    """The text for ``key`` in ``lang`` (a code or a :class:`Wording`), ``fields`` filled in.

    >>> label("doc.title", city="双鸭山市", period="2020年上半年")
    '双鸭山市2020年上半年招商引资和项目建设情况通报'
    """
    return _of(lang).text(key, **fields)


def has_label(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in _of(lang).texts


def tier_name(tier: str, lang: str = DEFAULT_LANG, short: bool = False) -> str:
    """The name of a tier id.

    >>> tier_name("industrial"), tier_name("industrial", "en", short=True)
    ('500万元以上产业项目', 'industrial (≥ CNY 5 mn)')
    """
    return label(("tier_short." if short else "tier.") + tier, lang)


def place(name, lang: str = DEFAULT_LANG) -> str:
    """A place name (the city, ``全市``, a region) in ``lang``; unknown names as written."""
    text = "" if name is None else str(name)
    return _of(lang).places.get(text.strip(), text)


def join(items, lang: str = DEFAULT_LANG) -> str:
    """Items as a list in running text: ``甲、乙、丙`` / ``A, B and C``.

    >>> join(["甲", "乙", "丙"]), join(["A", "B", "C"], "en"), join(["A"], "en")
    ('甲、乙、丙', 'A, B and C', 'A')
    """
    items = [str(i) for i in items]
    if len(items) > 1 and has_label("p.and", lang):
        return label("p.list", lang).join(items[:-1]) + label("p.and", lang) + items[-1]
    return label("p.list", lang).join(items)


def sentence(clauses, lang: str = DEFAULT_LANG, sep: str = "p.comma") -> str:
    """Clauses joined into one sentence with its full stop ('' when there are none).

    English sentences start with a capital letter.

    >>> sentence(["甲", "乙"]), sentence(["a b", "c"], "en")
    ('甲，乙。', 'A b, c. ')
    """
    clauses = [c for c in clauses if c]
    if not clauses:
        return ""
    text = label(sep, lang).join(clauses)
    if str(lang) == "en":
        text = text.strip()
        text = text[:1].upper() + text[1:]
        return text + ". "
    return text + label("p.stop", lang)


def render_pattern(pattern: str, **fields) -> str:
    """A one-off pattern (document.yaml's title) with ``fields``; an unknown name is an
    error, and so is anything :mod:`bulletin.report.sandbox` refuses (ValueError).

    >>> render_pattern("{{ city }}{{ year }}年{{ period_name }}通报", city="某市", year=2020, period_name="上半年")
    '某市2020年上半年通报'
    """
    return sandbox.render(pattern, **fields)
