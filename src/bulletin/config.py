"""Configuration: the YAML files under ``config/`` (packaged defaults), extended by one
folder holding files of the same names — ``--config-dir`` when given, else the office's
config folder (:func:`bulletin.paths.office_config_dir`: ``$BULLETIN_CONFIG_DIR`` or
``<repo>/config``) when it exists. Lists in a user file are appended to the defaults
(an entry with the ``name`` of a default entry is merged into it); mappings are merged;
scalars replace. A user file whose top level says ``replace: true`` replaces the
packaged file instead (another city's ``regions.yaml`` or ``chains.yaml``: its own
counties and chains, not added to ours).

The definitions a city sets (light bands, in-statistics denominator, ranking, origin
areas: :mod:`bulletin.definitions`) are parsed and checked here, so a broken one is a
configuration error before anything runs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from bulletin import yamlfile
from bulletin.definitions import Definitions, parse
from bulletin.errors import ConfigError
from bulletin.paths import CONFIG_DIR, PROCESSED_DIR, office_config_dir, resolve_dir
from bulletin.text import norm_header, norm_key

FILES = ("ledgers", "rules", "regions", "places", "chains", "layouts", "document")
# besides the YAML files: the bulletin's wording and the office's Word style template
PRESENTATION = ("wording", "reference.docx")
# the YAML files of FILES that only change how the bulletin looks (their digest is the
# configuration's ``presentation``, not its ``digest``)
PRESENTATION_FILES = ("document",)


def _named(item) -> str | None:
    return item.get("name") if isinstance(item, dict) else None


def _merge(base, extra):
    """``extra`` over ``base``: mappings merged, lists appended (an entry whose
    ``name`` is already there is merged into that entry), scalars replaced.

    >>> _merge({"regions": [{"name": "甲", "aliases": ["a"]}]}, {"regions": [{"name": "甲", "aliases": ["b"]}]})
    {'regions': [{'name': '甲', 'aliases': ['a', 'b']}]}
    """
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        out = list(base)
        for x in extra:
            names = [_named(item) for item in out]
            if _named(x) is not None and _named(x) in names:
                i = names.index(_named(x))
                out[i] = _merge(out[i], x)
            elif x not in out:
                out.append(x)
        return out
    return extra


@dataclass(frozen=True)
class Config:
    raw: dict
    digest: str
    header_map: dict = field(default_factory=dict)  # ledger -> {normalised alias: field}
    region_names: tuple = ()
    region_lookup: dict = field(default_factory=dict)  # normalised name/alias -> name
    city: str = ""
    city_keys: frozenset = frozenset()
    folder: str = ""  # the folder that extended the defaults ("" : none)
    english: dict = field(default_factory=dict)  # place name → English name (regions.yaml ``en``)
    definitions: Definitions | None = None  # SPEC §9, checked when the configuration loads
    # the wording files and the Word style template: they change the bulletin, not the
    # records or the indicators (``digest`` covers the YAML tables the stages read)
    presentation: str = ""

    @property
    def ledgers(self) -> dict:
        return self.raw["ledgers"]["ledgers"]

    @property
    def rules(self) -> dict:
        return self.raw["rules"]

    def field_type(self, name: str) -> str:
        for kind, names in self.raw["ledgers"]["types"].items():
            if name in names:
                return kind
        return "text"

    def field_label(self, ledger: str, name: str) -> str:
        """A field's Chinese label for messages: its first alias."""
        if name == "region":
            return "县区"
        return self.ledgers[ledger]["fields"][name][0]

    def ledger_label(self, ledger: str) -> str:
        return self.ledgers.get(ledger, {}).get("label", ledger)

    @property
    def document(self) -> dict:
        """document.yaml: the issued document's details (发文机关, 字号, 主送, …)."""
        return self.raw.get("document") or {}


def _build(raw: dict, folder: str = "") -> Config:
    header_map = {}
    for ledger, spec in raw["ledgers"]["ledgers"].items():
        m = {}
        for name, aliases in spec["fields"].items():
            for alias in aliases:
                m.setdefault(norm_header(alias), name)
        header_map[ledger] = m
    regions = raw["regions"]
    lookup = {}
    names = []
    english = {regions["city"]: regions["city_en"]} if regions.get("city_en") else {}
    for r in regions["regions"]:
        names.append(r["name"])
        for alias in [r["name"], *(r.get("aliases") or [])]:
            lookup[norm_key(alias)] = r["name"]
        if r.get("en"):
            english[r["name"]] = str(r["en"])
    city_keys = frozenset(norm_key(a) for a in [regions["city"], *regions.get("city_aliases", [])])
    # document.yaml (the masthead, the issuer) is presentation: it keys the bulletin only
    data = {k: v for k, v in raw.items() if k not in PRESENTATION_FILES}
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return Config(
        raw=raw,
        digest=digest,
        header_map=header_map,
        region_names=tuple(names),
        region_lookup=lookup,
        city=regions["city"],
        city_keys=city_keys,
        folder=folder,
        english=english,
        definitions=parse(raw),
    )


def unsafe_name(name) -> str:
    """Why ``name`` cannot name a folder ('' : it can): a region's editions are written to
    ``regions/<name>/``, so a name is one plain path component (SPEC §14).

    >>> unsafe_name("宝清县"), unsafe_name(".."), unsafe_name("a\\nb")
    ('', '含有“..”', '含有控制字符（换行、制表符等）')
    >>> bool(unsafe_name("../../tmp/x")), bool(unsafe_name("a\\\\b"))
    (True, True)
    """
    text = str(name)
    if not text.strip():
        return "为空"
    if "/" in text or "\\" in text:
        return "含有路径分隔符（/ 或 \\）"
    if ".." in text or text.strip() == ".":
        return "含有“..”"
    if not text.isprintable():
        return "含有控制字符（换行、制表符等）"
    return ""


def check_region_names(regions: dict, where: Path) -> None:
    """Every region's name (and the city's) is a plain name, else a ConfigError naming the
    file and the region."""
    names = [regions.get("city", "")] + [r.get("name", "") if isinstance(r, dict) else r for r in regions["regions"]]
    for name in names:
        why = unsafe_name(name)
        if why:
            raise ConfigError(
                f"配置文件 {where} 中的县区名称 {str(name)!r} {why}，不能用作文件夹名称；请改正后再运行",
                file=where,
                field=str(name),
            )


def config_folder(user_dir: str | Path | None = None) -> Path | None:
    """The folder that extends the packaged defaults: ``user_dir`` when given, else the
    office's config folder when it exists, else None (the defaults alone)."""
    if user_dir not in (None, ""):
        return Path(user_dir)
    office = office_config_dir()
    return office if office.is_dir() else None


def _stamp(folder: Path | None) -> tuple:
    """What the cache of a folder's configuration is keyed by, besides its path."""
    if folder is None:
        return ()
    out = []
    for path in [folder / f"{name}.yaml" for name in FILES] + _presentation_files(folder):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((str(path.relative_to(folder)), st.st_mtime_ns, st.st_size))
    return tuple(out)


def load_config(user_dir: str | Path | None = None) -> Config:
    """Load the packaged defaults, extended by ``user_dir`` when given, else by the
    office's config folder when it exists (:func:`config_folder`)."""
    folder = config_folder(user_dir)
    return _load(str(folder) if folder else None, _stamp(folder))


def month_config(period: str, processed_dir: str | Path | None = "", config_dir: str | Path | None = "") -> Config:
    """The configuration of a processed month's bulletin (the bulletin notebook's one
    call): ``config_dir`` when given, else the one the month was processed with
    (manifest.json's parameters), else as :func:`load_config`. The bulletin's data
    carries it (:attr:`bulletin.report.load.Data.config`)."""
    return load_config(str(config_dir) if config_dir else recorded_config_dir(period, processed_dir) or None)


def recorded_config_dir(period: str, processed_dir: str | Path | None = "") -> str:
    """The ``config_dir`` a processed month was made with (manifest.json's parameters),
    '' when none is recorded or the manifest cannot be read."""
    path = resolve_dir(processed_dir, PROCESSED_DIR) / period / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    params = manifest.get("parameters") if isinstance(manifest, dict) else None
    return str(params.get("config_dir") or "") if isinstance(params, dict) else ""


@lru_cache(maxsize=8)
def _load(user_dir: str | None, _stamp: tuple) -> Config:
    raw = {}
    for name in FILES:
        raw[name] = yamlfile.load(CONFIG_DIR / f"{name}.yaml")
        if user_dir:
            extra = Path(user_dir) / f"{name}.yaml"
            if extra.exists():
                user = yamlfile.load(extra) or {}
                if isinstance(user, dict) and user.get("replace") is True:
                    raw[name] = {k: v for k, v in user.items() if k != "replace"}
                else:
                    raw[name] = _merge(raw[name], user)
    check_region_names(raw["regions"], Path(user_dir or CONFIG_DIR) / "regions.yaml")
    cfg = _build(raw, user_dir or "")
    shown = json.dumps({k: raw.get(k) for k in PRESENTATION_FILES}, sort_keys=True, ensure_ascii=False, default=str)
    presentation = hashlib.sha256(f"{_presentation_digest(user_dir)}:{shown}".encode()).hexdigest()
    return replace(cfg, presentation=presentation)


def _presentation_files(root: Path) -> list[Path]:
    """The wording files and the Word style template of a configuration folder."""
    out = []
    for name in PRESENTATION:
        path = root / name
        out += sorted(path.rglob("*.yaml")) if path.is_dir() else [path] if path.is_file() else []
    return out


def _presentation_digest(user_dir: str | None) -> str:
    """A digest of the wording files and the Word style template (packaged and the
    folder's): editing one of them re-renders the bulletin, not the earlier stages."""
    h = hashlib.sha256()
    for root in filter(None, (CONFIG_DIR, Path(user_dir) if user_dir else None)):
        for f in _presentation_files(root):
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


# --------------------------------------------------------------------------- the office's folder
_HEADER = """\
# ---------------------------------------------------------------------------
# 本单位配置：{name}.yaml（由 pipeline.py config init 复制的内置默认配置）
#
# 每次运行（run、check、province 中未自带 config/ 的城市）都会读取本文件夹，
# 不需要 --config-dir；给出 --config-dir 时改用该文件夹。合并规则：
#   · 列表：在内置列表之后追加新条目（已有的不重复）；带 name 的条目
#     （县区、产业链）与内置同名条目合并，例如给 宝清县 增加别名；
#   · 映射：逐项合并；单个值（数字、文字）：替换内置值。
# 因此在这里删除内置条目不会生效；只需保留要新增或修改的内容。
# 修改后直接重新运行即可（配置变了，相关阶段会自动重算）。
# ---------------------------------------------------------------------------
{extra}
"""
_WORDING_HEADER = """\
# ---------------------------------------------------------------------------
# 本单位措辞：{name}（由 pipeline.py config init 复制的内置措辞）
#
# 通报的每一句话都在这里，复制时每行都加了“# ”（注释掉），暂不生效，通报
# 仍用内置措辞（程序更新后随之更新）。要改哪一句：去掉该行行首的“# ”，再改
# 引号里的文字；不要改键名和 {{{{ }}}} 里的名称。去掉“# ”的行替换内置措辞中
# 的同名一行；其余的行留着注释即可。
# 写错时（未知的键名、{{{{ }}}} 里写了这句没有的名称）运行会停止，指出文件、
# 行号和这句可用的名称；上次成功的通报不受影响。
# ---------------------------------------------------------------------------
"""
_EXTRA = {
    "regions": """\
# 例：新增一个县区（名称、别名、英文版通报中的英文名）——只需在 regions: 下追加：
#   - name: 双鸭山经济技术开发区
#     aliases: [经开区, 双鸭山经开区]
#     en: Shuangyashan Economic and Technological Development Zone
# 该县区的地名若会出现在“投资方所在地”中，请同时加入 places.yaml 的 home_cities；
# 若有新的产业链，请加入 chains.yaml。详见 docs/操作手册.md“新增县区”。
""",
    "chains": "# 例：新增产业链——在 chains: 下追加 {name: 新能源, aliases: [光伏, 风电]}\n",
    "places": "# 例：新增县区的地名（判断省内/省外用）——在 home_cities 中追加，如 [经开区]\n",
}


def _commented(text: str) -> str:
    """Every line that says something commented out: an office's wording copy changes
    nothing until a line is uncommented, so later packaged wording (a reworded or a
    renamed sentence) still reaches the bulletin for the lines the office left alone."""
    return "".join(
        line if not line.strip() or line.lstrip().startswith("#") else "# " + line
        for line in text.splitlines(keepends=True)
    )


def init_folder(folder: str | Path, force: bool = False) -> tuple[list[Path], list[Path]]:
    """Copy the packaged defaults (every ``config/*.yaml`` incl. ``document.yaml``, and
    the bulletin's wording ``config/wording/<lang>/*.yaml``, its lines commented out)
    into ``folder``, each under a Chinese header that says how the folder reads it. Existing
    files are kept unless ``force``. Returns (written, kept)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    sources = sorted(CONFIG_DIR.glob("*.yaml")) + sorted((CONFIG_DIR / "wording").glob("*/*.yaml"))
    for source in sources:
        rel = source.relative_to(CONFIG_DIR)
        target = folder / rel
        if target.exists() and not force:
            kept.append(target)
            continue
        if rel.parts[0] == "wording":
            header = _WORDING_HEADER.format(name=rel.as_posix())
        else:
            header = _HEADER.format(name=source.stem, extra=_EXTRA.get(source.stem, ""))
        text = source.read_text(encoding="utf-8")
        if rel.parts[0] == "wording":
            text = _commented(text)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(header + "\n" + text, encoding="utf-8")
        written.append(target)
    return written, kept
