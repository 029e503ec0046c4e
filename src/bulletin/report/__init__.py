"""The bulletin's model: one processed month → a Document, built once per edition.

load (read once) → build (city or county, zh or en) → document (sections, paragraphs,
numbered tables and charts); the words come from the wording files (labels), every
number from format. Writers live in :mod:`bulletin.publish`.
"""
