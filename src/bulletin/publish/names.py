"""The files of an edition of the bulletin, in one place (no dependencies: the runner
uses it without loading the writers).

Editions never overwrite each other: the Chinese edition is ``bulletin.*``, the
English edition ``bulletin.en.*`` in the same folder; a county's edition has the same
names in ``regions/<county>/``.

>>> edition_files("en")["docx"], edition_files()["notebook"]
('bulletin.en.docx', 'notebooks/bulletin.ipynb')
"""

from __future__ import annotations

KINDS = ("html", "internal", "pdf", "docx", "xlsx", "notebook")


def stem(lang: str = "zh") -> str:
    return "bulletin" if str(lang) == "zh" else f"bulletin.{lang}"


def edition_files(lang: str = "zh") -> dict[str, str]:
    """kind → file name (relative to the edition's folder): the issued document in HTML,
    PDF and Word, the internal edition (HTML with the provenance annex), the workbook
    and the executed notebook."""
    s = stem(lang)
    return {
        "html": f"{s}.html",
        "internal": f"{s}.internal.html",
        "pdf": f"{s}.pdf",
        "docx": f"{s}.docx",
        "xlsx": f"{s}.xlsx",
        "notebook": f"notebooks/{s}.ipynb",
    }
