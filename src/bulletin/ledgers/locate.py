"""Find a sheet's ledger type, header row, field columns and title facts (SPEC §3.1–3.5).

The header is the row (among the first ``header_search_rows``) whose cells match the
most field aliases of one ledger type, after merged ranges are filled. A ledger type
qualifies when all its required fields are matched, except those a title line may
supply (a project's tier). When a header cell matches nothing, the cell above it (a
merged group cell such as ``签约情况``) is tried as a prefix (``签约`` + ``时间``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bulletin.config import Config, load_config
from bulletin.ledgers.normalise import cached_table, find_region, find_unit, match_tier, unit_factor
from bulletin.text import header_unit, norm_header, norm_headers, norm_text

# Required fields a title line can stand in for.
TITLE_SUPPLIED = {"projects": {"tier"}}


@dataclass
class Layout:
    ledger: str
    header_row: int  # 0-based index of the (lower) header row
    columns: dict[str, int]  # field → 0-based column
    header_text: dict[str, str]  # field → header as written
    column_units: dict[str, str] = field(default_factory=dict)  # field → unit in its header
    title_lines: list[str] = field(default_factory=list)
    title_region: str | None = None
    title_tier: str | None = None
    sheet_unit: str | None = None
    duplicate_columns: list[tuple[str, str]] = field(default_factory=list)

    def factor(self, name: str, cfg: Config) -> tuple[float, bool]:
        """Unit factor for a money column and whether it was the default."""
        unit = self.column_units.get(name) or self.sheet_unit
        if unit:
            return unit_factor(unit, cfg), False
        return unit_factor(cfg.rules["amounts"]["default_unit"], cfg), True


def _row_keys(row: list, above: list | None, norm_header=norm_header) -> list[tuple[int, str, str | None]]:
    """A row's text cells as (column, normalised header, normalised group + header):
    computed once per row, then matched against every ledger type."""
    keys = []
    for j, cell in enumerate(row):
        if cell is None and above is not None and j < len(above):
            cell = above[j]  # two-row header: a cell spanning both rows, not merged
        if cell is None or not isinstance(cell, str):
            continue
        key = norm_header(cell)
        combined = None
        if above is not None and j < len(above) and isinstance(above[j], str) and above[j] != cell:
            combined = norm_header(above[j]).removesuffix("情况") + key
        keys.append((j, key, combined))
    return keys


def _match_keys(keys: list, header_map: dict) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, key, combined in keys:
        name = header_map.get(key)
        if name is None and combined is not None:
            name = header_map.get(combined)
        if name is not None and name not in found:
            found[name] = j
    return found


def _all_aliases(cfg: Config) -> frozenset:
    """Every normalised header alias of every ledger type."""
    return cached_table("all_aliases", cfg, lambda c: frozenset(k for m in c.header_map.values() for k in m))


def locate(rows: list[list], file_name: str = "", cfg: Config | None = None) -> Layout | str:
    """The sheet's layout, or a Chinese reason why it is not a ledger."""
    cfg = cfg or load_config()
    limit = cfg.rules["limits"]["header_search_rows"]
    best = None  # (score, -row, ledger, found)
    # the search area's texts normalised in one batch (they are mostly data cells, seen once)
    texts = list({v for row in rows[:limit] for v in row if isinstance(v, str)})
    header = dict(zip(texts, norm_headers(texts))).__getitem__
    aliases = _all_aliases(cfg)
    for i, row in enumerate(rows[:limit]):
        keys = _row_keys(row, rows[i - 1] if i > 0 else None, header)
        # a header row has two cells that are some ledger type's aliases
        if len(keys) < 2 or sum(k in aliases or c in aliases for _, k, c in keys) < 2:
            continue
        for ledger, header_map in cfg.header_map.items():
            found = _match_keys(keys, header_map)
            if len(found) < 2:
                continue
            required = set(cfg.ledgers[ledger]["required"]) - TITLE_SUPPLIED.get(ledger, set())
            if not required <= set(found):
                continue
            if ledger == "targets" and not ({"signed_amount_target", "signed_projects_target"} & set(found)):
                continue
            score = len(found) / len(cfg.ledgers[ledger]["fields"]) + len(found)
            if best is None or score > best[0]:
                best = (score, i, ledger, found)
    if best is None:
        if not any(any(v is not None for v in r) for r in rows):
            return "空工作表"
        return "表头中未找到任何台账类型的必填栏目（如 项目名称、签约日期、签约额），不是台账，未读取"
    _, i, ledger, found = best
    header = rows[i]
    title_lines = []
    for r in rows[:i]:
        texts = [norm_text(v) for v in r if v is not None]
        line = "  ".join(dict.fromkeys(t for t in texts if t))
        if line:
            title_lines.append(line)
    title = "  ".join(title_lines)
    layout = Layout(
        ledger=ledger,
        header_row=i,
        columns=found,
        header_text={k: norm_text(header[j] if header[j] is not None else rows[i - 1][j]) for k, j in found.items()},
        title_lines=title_lines,
        title_region=find_region(title, cfg) or find_region(file_name, cfg),
        title_tier=match_tier(title, cfg),
        sheet_unit=find_unit(title),
    )
    for name, j in found.items():
        unit = header_unit(header[j])
        if unit is None and i > 0 and j < len(rows[i - 1]):
            unit = header_unit(rows[i - 1][j]) if isinstance(rows[i - 1][j], str) else None
        if unit:
            layout.column_units[name] = unit
    # columns that map to an already-mapped field are reported once
    header_map = cfg.header_map[ledger]
    for j, cell in enumerate(header):
        name = header_map.get(norm_header(cell)) if isinstance(cell, str) else None
        if name and found.get(name) != j:
            layout.duplicate_columns.append((name, norm_text(cell)))
    return layout
