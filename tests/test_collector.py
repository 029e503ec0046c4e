"""The cyclic garbage collector paused around large one-off object graphs
(bulletin.collector): off inside, restored after, and used where it pays."""

from __future__ import annotations

import gc
import io

import pytest

from bulletin import collector


@pytest.fixture
def gc_state():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_turns_the_collector_off_and_back_on(gc_state):
    gc.enable()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested: still off inside, still off after
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_restores_it_after_an_error(gc_state):
    gc.enable()
    with pytest.raises(ValueError), collector.paused():
        raise ValueError
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled(gc_state):
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_the_pdf_is_laid_out_and_written_with_the_collector_paused(gc_state, monkeypatch):
    from bulletin.publish import floats
    from bulletin.publish.html_pdf import render_pdf

    seen = []
    real = floats.float_charts

    def spy(html, document):  # called between layout and writing
        seen.append(gc.isenabled())
        return real(html, document)

    monkeypatch.setattr(floats, "float_charts", spy)
    gc.enable()
    out = io.BytesIO()
    assert render_pdf("<p>通报</p>", out) == 1
    assert seen == [False]
    assert gc.isenabled()
    assert out.getvalue().startswith(b"%PDF")
