"""Why a sheet with no ledger header is not read (SPEC §12), in Chinese:

* a **summary table** — one row per county with counts and sums (``项目个数``,
  ``外出人数``, ``外出天数``, ``新签约项目数``: ``ledgers.yaml`` ``summary_headers``) and
  no project or activity rows — is "汇总表（每县区一行），不是明细台账";
* otherwise the message names the row that looks most like a ledger's header, the
  fields found there and the required fields looked for and not found, and suggests
  ``header_rows`` in ``layouts.yaml`` when a title row stands above that header.
"""

from __future__ import annotations

from bulletin.config import Config
from bulletin.contract import TARGET_FIELDS
from bulletin.text import norm_header, norm_key

SUMMARY = "汇总表（每县区一行），不是明细台账，未读取；请报送逐个项目（活动）的明细台账"
LOOKS_LIKE = 3  # fields of a type found in a header that lacks a required one: the sheet is that type's


class NotALedger(str):
    """The reason a sheet is not read, and the ledger type it looks like (``ledger``;
    "" : none): a header with :data:`LOOKS_LIKE` or more of a type's fields and a
    required one missing is that type's ledger, sent but not readable."""

    ledger = ""

    def __new__(cls, text: str, ledger: str = ""):
        out = super().__new__(cls, text)
        out.ledger = ledger
        return out


# required fields a title line can stand in for (bulletin.ledgers.locate.TITLE_SUPPLIED)
TITLE_SUPPLIED = {"projects": {"tier"}}


def _texts(row: list) -> list[str]:
    return [v for v in row if v.__class__ is str and v.strip()]


def summary_row(rows: list[list], cfg: Config, limit: int) -> int | None:
    """The header row of a summary table in the first ``limit`` rows, or None: a row
    naming a summary header, with at least two rows below whose cell in one column
    is a region's name (one row per county)."""
    words = {norm_header(w) for w in cfg.raw["ledgers"].get("summary_headers", [])}
    for i, row in enumerate(rows[:limit]):
        keys = [norm_header(v) if v.__class__ is str else "" for v in row]
        if not words.intersection(keys):
            continue
        below = rows[i + 1 : i + 1 + 50]
        for j in range(len(row)):
            named = sum(
                1 for r in below if j < len(r) and r[j].__class__ is str and norm_key(r[j]) in cfg.region_lookup
            )
            if named >= 2:
                return i
    return None


def _fields(row: list, ledger: str, cfg: Config) -> list[str]:
    header_map = cfg.header_map[ledger]
    found = []
    for v in row:
        if v.__class__ is str and (name := header_map.get(norm_header(v))) and name not in found:
            found.append(name)
    return found


def _needed(ledger: str, cfg: Config) -> list[str]:
    required = [f for f in cfg.ledgers[ledger]["required"] if f not in TITLE_SUPPLIED.get(ledger, set())]
    return required + (["signed_amount_target"] if ledger == "targets" else [])


def _labels(ledger: str, names, cfg: Config) -> str:
    return "、".join(f"“{cfg.field_label(ledger, n)}”" for n in names)


def not_a_ledger(rows: list[list], cfg: Config, limit: int) -> str:
    """The reason a non-empty sheet whose header matches no ledger type is not read."""
    if summary_row(rows, cfg, limit) is not None:
        return SUMMARY
    best = None  # (fields found, row, ledger)
    for i, row in enumerate(rows[:limit]):
        if len(_texts(row)) < 2:
            continue
        for ledger in cfg.ledgers:
            found = _fields(row, ledger, cfg)
            if found and (best is None or len(found) > len(best[0])):
                best = (found, i, ledger)
    looked = "；".join(f"{cfg.ledger_label(x)}：{_labels(x, _needed(x, cfg), cfg)}" for x in cfg.ledgers)
    if best is None:
        first = next((i for i, r in enumerate(rows[:limit]) if _texts(r)), None)
        hint = ""
        table = any(len(_texts(r)) >= 2 for r in rows[:limit])  # a table below a title, not only notes
        if first is not None and len(_texts(rows[first])) == 1 and table:
            hint = "；表头上方有标题行时，可在layouts.yaml中用header_rows指定表头所在的行"
        return f"表头中未找到任何台账类型的栏目（查找的必填栏目——{looked}），不是台账，未读取{hint}"
    found, i, ledger = best
    needed = _needed(ledger, cfg)
    if ledger == "targets":
        missing = [] if set(TARGET_FIELDS) & set(found) else ["signed_amount_target"]
        missing += [f for f in needed if f not in found and f not in TARGET_FIELDS]
    else:
        missing = [f for f in needed if f not in found]
    what = f"第{i + 1}行的表头像{cfg.ledger_label(ledger)}台账（找到{_labels(ledger, found, cfg)}）"
    if missing:
        text = f"{what}，但未找到必填栏目{_labels(ledger, missing, cfg)}，未读取"
    else:
        text = f"{what}，但可识别的栏目太少（至少两个），无法确认是台账，未读取"
    if any(_texts(r) for r in rows[:i]):
        text += "；若表头不在该行（其上有标题行），可在layouts.yaml中用header_rows指定表头所在的行"
    return NotALedger(text, ledger if missing and len(found) >= LOOKS_LIKE else "")
