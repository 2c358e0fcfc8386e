"""Each speaker heard on their own frequency scale (vocal tract length normalisation, bot/voice/sphinx.py)."""

from __future__ import annotations

import pytest
from voice_fixtures import clips, voice_extra  # noqa: F401 - fixtures
from voice_studio import PEOPLE

from bot.voice.vocabulary import build_vocabulary

NOTES = (
    "book Emma tomorrow at 10am",
    "show my sessions this week",
    "log session with John Smith yesterday at 3pm",
    "what's my commission this month",
)


def _parabola(top: float) -> dict[float, float]:
    from bot.voice.sphinx import WARPS

    # An alignment's ups and downs, here larger than one step of the curve: the best single point
    # is a neighbour of the peak.
    jitter = (6.0, -6.0) * 5
    return {w: -2000.0 * (w - top) ** 2 + j for w, j in zip(WARPS, jitter, strict=True)}


@pytest.mark.parametrize("top", [0.9, 1.0, 1.1, 1.2])
def test_the_warp_is_where_the_likelihoods_peak_not_their_noisiest_point(voice_extra, top: float) -> None:  # noqa: F811
    from bot.voice.sphinx import _peak

    fit = _parabola(top)
    assert max(fit, key=fit.__getitem__) != pytest.approx(top)  # the trap the parabola avoids
    assert _peak(fit) == pytest.approx(top)


def test_a_peak_beyond_the_grid_stops_at_its_edge_and_no_peak_takes_the_best_point(voice_extra) -> None:  # noqa: F811
    from bot.voice.sphinx import WARPS, _peak

    assert _peak({w: 100.0 * w for w in WARPS}) == WARPS[-1]  # still rising at the top
    assert _peak({w: -100.0 * w for w in WARPS}) == WARPS[0]
    valley = {w: 500.0 * (w - 1.0) ** 2 for w in WARPS}  # no maximum: the higher end
    assert _peak(valley) == max(valley, key=valley.__getitem__)


def test_a_note_that_cannot_be_aligned_teaches_nothing(voice_extra) -> None:  # noqa: F811
    from bot.voice.sphinx import _Voice

    voice = _Voice()
    assert voice.weigh(None) == 1.0
    assert (voice.notes, voice.fit) == (0, {})
    assert voice.weigh(_parabola(1.2)) == pytest.approx(1.2)
    assert voice.notes == 1
    assert voice.weigh(_parabola(1.2)) == pytest.approx(1.2)
    assert voice.fit == pytest.approx({w: 2 * s for w, s in _parabola(1.2).items()})


def test_a_higher_voice_is_heard_on_a_higher_scale_and_then_kept(clips, monkeypatch) -> None:  # noqa: F811
    """espeak-ng's f3 voice has higher formants than its default voice: its warp comes out higher."""
    from bot.voice import sphinx
    from bot.voice.audio import PcmStream

    vocabulary = build_vocabulary([name for _, name, _, _ in PEOPLE])
    stt = sphinx.SphinxTranscriber(max_streams=1)
    fits = 0
    real_fit = sphinx._fit

    def counted(*args):  # type: ignore[no-untyped-def]
        nonlocal fits
        fits += 1
        return real_fit(*args)

    monkeypatch.setattr(sphinx, "_fit", counted)
    for speaker, voice, speed in (("low", "en-us", 150), ("high", "en-us+f3", 175)):
        for text in NOTES:
            note = clips.clip(text, voice, speed, "ogg")
            assert stt.transcribe(PcmStream(note.data, note.mime), vocabulary, speaker).words
    low, high = stt._voices["low"], stt._voices["high"]
    assert high.warp > low.warp
    assert high.warp > 1.0
    assert (low.notes, high.notes) == (sphinx.WARP_NOTES, sphinx.WARP_NOTES)
    assert fits == 2 * sphinx.WARP_NOTES  # the last note of each was heard on the kept scale, not weighed
    assert high.cmn_at(high.warp) is not None  # the mean of their last note, measured on that scale


def test_a_note_without_a_speaker_is_heard_unwarped_and_leaves_nothing(clips, monkeypatch) -> None:  # noqa: F811
    from bot.voice import sphinx
    from bot.voice.audio import PcmStream

    vocabulary = build_vocabulary([name for _, name, _, _ in PEOPLE])
    stt = sphinx.SphinxTranscriber(max_streams=1)
    monkeypatch.setattr(sphinx, "_fit", lambda *args: pytest.fail("no speaker to learn for"))
    note = clips.clip(NOTES[0], "en-us+f3", 175, "webm")
    assert stt.transcribe(PcmStream(note.data, note.mime), vocabulary).words
    assert stt._voices == {}
