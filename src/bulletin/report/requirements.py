"""What the office says besides the figures: the closing 下一步工作要求 (its words are
entirely the office's, from the wording files) and, when ``document.yaml`` switches them
on (``light_actions: true``), the 表扬 / 约谈 sentences tied to the lights.

Both are words of ``config/wording/<lang>/requirements.yaml``: a configuration folder's
``wording/<lang>/*.yaml`` replaces them; an empty text leaves the section (or that
light's sentence) out.
"""

from __future__ import annotations

from bulletin.definitions import describe_bands
from bulletin.report import format as fmt
from bulletin.report.edition import Edition
from bulletin.report.labels import has_label, join, label, sentence

SWITCH = "light_actions"  # document.yaml: the 表扬/约谈 sentences (off by default)


def next_steps_paragraphs(ed: Edition) -> list[str]:
    """下一步工作要求 as paragraphs: the wording ``next.text``, one paragraph per line;
    [] when the office left it empty."""
    text = label("next.text", ed.lang)
    return [line.strip() for line in text.splitlines() if line.strip()]


def actions_on(ed: Edition) -> bool:
    """Whether document.yaml switches the 表扬/约谈 sentences on."""
    value = (ed.data.document or {}).get(SWITCH)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1", "是", "开")
    return value is True


def light_actions_text(ed: Edition) -> str:
    """The 表扬/约谈 sentences: for each configured light (best first) whose wording
    ``act.<light>`` is not empty, that sentence naming the regions on that light (a
    county edition: the county only, when it is on that light); '' when switched off."""
    if not actions_on(ed):
        return ""
    lang, out = ed.lang, []
    regions = [ed.region] if ed.region else ed.data.regions
    for band in describe_bands(ed.data.definitions):
        key = f"act.{band['light']}"
        on = [r for r in regions if fmt.light_key(ed.value(r, "signed_light")) == band["light"]]
        if not on or not has_label(key, lang):
            continue
        text = label(key, lang, regions=join([ed.name(r) for r in on], lang)).strip()
        if text:
            out.append(text)
    return sentence(out, lang, sep="p.semi")
