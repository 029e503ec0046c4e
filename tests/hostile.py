"""Hostile files, built in the tests (issue 10): each one a file a county office (or an
attacker) could put in the month folder. ``FILES`` maps a file name to a builder that
writes it into a folder; none of them may stop the month.

Their content names no region of the registry (``测试县`` is none), or, where a region is
named, holds nothing that changes its figures (rejected rows, in-province signings), so
that every county's figures must equal the sample generator's truth.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl

SIGN_HEADER = ["序号", "项目名称", "投资方", "投资方所在地", "签约日期", "签约额（万元）", "签约方式"]


def _rows(title: str, n: int = 3) -> list[list]:
    return [[title], SIGN_HEADER] + [
        [i, f"测试项目{i}", "某公司", "北京市", "2020-05-01", 100 + i, "现场"] for i in range(n)
    ]


def _xlsx_bytes(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls_bytes(rows: list[list]) -> bytes:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _html(rows: list[list]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
    return f"<html><body><table>{body}</table></body></html>"


def _csv(rows: list[list], sep: str = ",", newline: str = "\n") -> str:
    return newline.join(sep.join(str(v) for v in row) for row in rows) + newline


def _zip(path: Path, members: dict[str, bytes | str], level: int = 9) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _replace_sheet(path: Path, base: bytes, sheet_xml: bytes | str, extra: dict | None = None) -> None:
    """An openpyxl workbook with its first sheet's XML replaced (and parts added)."""
    src = zipfile.ZipFile(io.BytesIO(base))
    members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members["xl/worksheets/sheet1.xml"] = sheet_xml
    members.update(extra or {})
    _zip(path, members, level=6)


_SHEET = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</worksheet>'


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding ``streams``,
    each stored in regular sectors (padded to 4096 bytes at least)."""
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    data = {name: blob.ljust(max(4096, len(blob)), b"\0") for name, blob in streams.items()}
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory
    starts = {}
    for name, blob in data.items():
        n = -(-len(blob) // 512)
        starts[name] = len(fat)
        fat += [len(fat) + k + 1 for k in range(n - 1)] + [end]
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name, kind, start, size, right=nostream, child=nostream):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(raw), kind, 1, nostream, right, child)
            + b"\0" * 16
            + struct.pack("<IQQIQ", 0, 0, 0, start, size)
        )

    names = list(data)
    entries = [entry("Root Entry", 5, end, 0, child=1)]
    for k, name in enumerate(names):
        right = k + 2 if k + 1 < len(names) else nostream
        entries.append(entry(name, 2, starts[name], len(streams[name]), right=right))
    directory = b"".join(entries).ljust(512, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([free] * 108))
    )
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + directory + b"".join(data.values())


# --------------------------------------------------------------------------- builders
def xfd(path: Path) -> None:
    """One value in XFD1048576: 17 billion cells if a reader builds the used range."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "测试县签约台账"
    ws["XFD1048576"] = 1
    wb.save(path)


def span_bomb(path: Path) -> None:
    """889 bytes of HTML-as-xls whose spans cover 65 million cells each."""
    cell = '<td colspan="1000" rowspan="65534">x</td>'
    rows = "".join(f"<tr>{cell * 3}</tr>" for _ in range(6))
    path.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")


def utf16_csv(path: Path) -> None:
    path.write_bytes(b"\xff\xfe" + _csv(_rows("测试县签约台账"), sep="\t").encode("utf-16-le"))


def cr_only_csv(path: Path) -> None:
    path.write_text(_csv(_rows("测试县签约台账"), newline="\r"), encoding="utf-8", newline="")


def long_field_csv(path: Path) -> None:
    rows = _rows("测试县签约台账")
    rows[2][1] = "长" * 200_000  # over the csv module's 131,072 characters
    path.write_text(_csv(rows), encoding="utf-8")


def huge_amounts(path: Path) -> None:
    """A county's extra ledger whose every amount is absurd: 1e19, 9e18, 1e308, 9e18 as
    text. The rows are rejected (amount is required), so the county's figures stay."""
    rows = [["宝山区签约项目台账（补报）"], SIGN_HEADER]
    for i, amount in enumerate([1e19, 9e18, 1e308, "9e18", "1e19万元"]):
        rows.append([i, f"异常金额项目{i}", "某公司", "北京市", "2020-05-01", amount, "现场"])
    path.write_bytes(_xlsx_bytes(rows))


def zip_bomb(path: Path) -> None:
    _zip(path, {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>", "xl/big.bin": b"\0" * (60 << 20)})


def xml_bomb(path: Path) -> None:
    """Billion laughs in the sheet and the workbook XML."""
    lol = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    lol += "]>"
    sheet = (
        f'<?xml version="1.0"?>{lol}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    base = _xlsx_bytes([["x"]])
    src = zipfile.ZipFile(io.BytesIO(base))
    workbook = src.read("xl/workbook.xml").decode()
    at = workbook.index("?>") + 2 if workbook.startswith("<?xml") else 0
    workbook = workbook[:at] + lol + workbook[at:]
    _replace_sheet(path, base, sheet, {"xl/workbook.xml": workbook})


def formatted_rows(path: Path) -> None:
    """1,048,576 formatted rows (every row styled, one value in A1)."""
    body = "".join(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/></row>' for r in range(2, 1_048_577))
    sheet = _SHEET.format(
        f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>格式</t></is></c></row>{body}</sheetData>'
    )
    _replace_sheet(path, _xlsx_bytes([["x"]]), sheet)


def rows_300k(path: Path) -> None:
    """A 300,000-row signings sheet of a county: in-province signings (never counted
    in the figures), read up to the 200,000-row limit with an error."""
    head = [["宝清县2020年签约项目台账（补充）"], SIGN_HEADER]
    out = []
    for r, row in enumerate(head, start=1):
        cells = "".join(f'<c r="{chr(65 + j)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for j, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    for r in range(3, 300_003):
        out.append(
            f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>补充项目{r}</t></is></c>'
            f'<c r="C{r}" t="inlineStr"><is><t>某公司</t></is></c>'
            f'<c r="D{r}" t="inlineStr"><is><t>哈尔滨市</t></is></c>'
            f'<c r="E{r}" t="inlineStr"><is><t>2020-05-01</t></is></c><c r="F{r}"><v>10</v></c></row>'
        )
    _replace_sheet(path, _xlsx_bytes([["x"]]), _SHEET.format("<sheetData>" + "".join(out) + "</sheetData>"))


def positional(path: Path) -> None:
    """Cells without a position (``r``): a reader places each after the previous one, so
    16,384 cells in one row and a row numbered 99,999 span 1.6 billion cells."""
    wide = "<c><v>1</v></c>" * 16_384
    rows = f'<row r="1">{wide}</row><row r="99999"><c><v>1</v></c></row>'
    _replace_sheet(path, _xlsx_bytes([["x"]]), _SHEET.format(f"<sheetData>{rows}</sheetData>"))


def strings_bomb(path: Path) -> None:
    """One 30,000-character shared string in 200,000 cells: 6 GB of text once copied."""
    base = _xlsx_bytes([["x"]])
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, 200_001))
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        f' count="200000" uniqueCount="1"><si><t>{"长" * 30_000}</t></si></sst>'
    )
    src = zipfile.ZipFile(io.BytesIO(base))
    rels = src.read("xl/_rels/workbook.xml.rels").decode()
    if "sharedStrings" not in rels:
        rels = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    types = src.read("[Content_Types].xml").decode()
    if "sharedStrings" not in types:
        types = types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/></Types>',
        )
    extra = {"xl/sharedStrings.xml": strings, "xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types}
    _replace_sheet(path, base, _SHEET.format(f"<sheetData>{cells}</sheetData>"), extra)


def encrypted(path: Path) -> None:
    """A password-protected xlsx: an OLE file with EncryptionInfo and EncryptedPackage."""
    path.write_bytes(cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 100, "EncryptedPackage": b"\x01" * 5000}))


def word_as_xls(path: Path) -> None:
    path.write_bytes(cfb({"WordDocument": b"\xec\xa5" + b"\0" * 100}))


def ole_as_xlsx(path: Path) -> None:
    path.write_bytes(_xls_bytes(_rows("测试县签约台账")))


def xlsx_as_xls(path: Path) -> None:
    path.write_bytes(_xlsx_bytes(_rows("测试县签约台账")))


def html_as_xlsx(path: Path) -> None:
    path.write_text(_html(_rows("测试县签约台账")), encoding="utf-8")


def csv_as_xls(path: Path) -> None:
    path.write_text(_csv(_rows("测试县签约台账"), sep="\t"), encoding="gb18030")


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncated_zip(path: Path) -> None:
    data = _xlsx_bytes(_rows("测试县签约台账", 200))
    path.write_bytes(data[: len(data) // 2])


def wps_et(path: Path) -> None:
    """A WPS .et file (here, as WPS saves it in OOXML form)."""
    path.write_bytes(_xlsx_bytes(_rows("测试县签约台账")))


def unknown_extension(path: Path) -> None:
    path.write_bytes(_xlsx_bytes(_rows("测试县签约台账")))


def control_chars(path: Path) -> None:
    rows = _rows("测试县\u202e签约台账")
    rows[2][1] = "项目\x9b名\u202e称"  # C1 control and a bidi override (XML holds no C0 control)
    path.write_bytes(_xlsx_bytes(rows))


FILES = {
    "xfd.xlsx": xfd,
    "span_bomb.xls": span_bomb,
    "utf16.csv": utf16_csv,
    "cr_only.csv": cr_only_csv,
    "long_field.csv": long_field_csv,
    "宝山区签约台账（补报）.xlsx": huge_amounts,
    "zip_bomb.xlsx": zip_bomb,
    "xml_bomb.xlsx": xml_bomb,
    "formatted_rows.xlsx": formatted_rows,
    "rows_300k.xlsx": rows_300k,
    "encrypted.xlsx": encrypted,
    "word.xls": word_as_xls,
    "ole_as.xlsx": ole_as_xlsx,
    "xlsx_as.xls": xlsx_as_xls,
    "html_as.xlsx": html_as_xlsx,
    "csv_as.xls": csv_as_xls,
    "empty.xlsx": empty,
    "truncated.xlsx": truncated_zip,
    "wps.et": wps_et,
    "ledger.dat": unknown_extension,
    "controls.xlsx": control_chars,
    "positional.xlsx": positional,
    "strings_bomb.xlsx": strings_bomb,
}
HEAVY = {"formatted_rows.xlsx", "rows_300k.xlsx", "zip_bomb.xlsx"}  # seconds to build or read
