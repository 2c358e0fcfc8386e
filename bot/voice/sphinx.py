"""The fallback engine: PocketSphinx with a language model of the studio's own commands.

The `pocketsphinx` wheel ships an English acoustic model and the CMU
dictionary, so this works right after `pip install spotter[voice]`. Its
general language model hears "log a session with Emma" as nonsense, so each
studio gets a domain model instead (bot/voice/vocabulary.py -> lm.py): the
parser's training phrases spoken, with the roster's names in them. It is
rebuilt when the roster changes (the vocabulary's fingerprint), with made-up
pronunciations (bot/voice/pronounce.py) for names the dictionary lacks.

Each speaker is heard on their own frequency scale: the acoustic model's
average speaker has a longer vocal tract than most women and children, whose
formants sit higher. A new speaker's first notes are aligned under a range of
frequency warps and the most likely warp is kept for them (vocal tract length
normalisation, `_Voice`), with the cepstral mean their last note left.

Besides its best reading the recognizer reports up to N_BEST next-best ones
(`Transcript.alternatives`); bot/voice/choose.py picks among them with what
the studio knows of the speaker.

The acoustic model files are read once per recognizer; recognizers are pooled
(at most one per core, each used by one message at a time) and reused, so
concurrent messages do not each pay the load, and memory stays bounded.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.voice.lm import build_arpa
from bot.voice.pronounce import pronounce
from bot.voice.transcriber import Transcript, Word
from bot.voice.vocabulary import Vocabulary

log = logging.getLogger(__name__)
_FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "<unk>"}
LM_ORDER = 4
LANGUAGE_WEIGHT = 6.5  # the default: with the phrase corpus the model knows what people say; trust it
PAD_SAMPLES = 4800  # 0.3 s of quiet before and after: notes often start on the first word
MAX_SPEAKERS = 4096  # speakers whose voice is kept (cepstral mean and warp: about a kilobyte each)
N_BEST = 10  # alternative readings kept: a slip in a name or a command word is usually among them
N_BEST_SCAN = 40  # lattice paths read to find them (many differ only in silences or pronunciations)
# Frequency warps tried for a new speaker (1.0: none; above: a shorter vocal tract, as most women's
# and children's) and the number of their first notes the choice is made on, after which it is kept.
WARPS = (0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3)
WARP_NOTES = 3
_UNDERFLOW = 1e-300  # a segment's likelihood this small has left the float's range: the sum is not usable
NOISE_FLOOR = 100.0  # 16-bit RMS (about -50 dBFS) added under the signal: digital silence and clean synthesis break MFCCs


def _floor(chunk: bytes, seed: int) -> bytes:
    """The chunk with a faint, fixed noise floor (codecs and synthesizers emit exact zeros)."""
    import numpy as np

    pcm = np.frombuffer(chunk, dtype="<i2").astype(np.float32)
    noise = np.random.default_rng(seed).normal(0.0, NOISE_FLOOR, pcm.shape[0]).astype(np.float32)
    return np.clip(pcm + noise, -32768, 32767).astype("<i2").tobytes()


def _quiet(samples: int, seed: int) -> bytes:
    return _floor(bytes(samples * 2), seed)


def _model_dir() -> Path:
    from pocketsphinx import get_model_path

    return Path(get_model_path()) / "en-us"


class _Domain:
    """The files of one vocabulary: ARPA model and a dictionary of just its words."""

    def __init__(self, vocabulary: Vocabulary, workdir: Path, cmudict: Path) -> None:
        self.fingerprint = vocabulary.fingerprint
        self.lm = workdir / f"domain-{vocabulary.fingerprint}.arpa"
        self.dict = workdir / f"domain-{vocabulary.fingerprint}.dict"
        words = set(vocabulary.words)
        known: dict[str, list[str]] = {}
        with cmudict.open(encoding="utf-8") as lines:
            for line in lines:
                head, _, phones = line.partition(" ")
                word = head.split("(")[0]
                if word in words:
                    known.setdefault(word, []).append(phones.strip())
        self.made_up = sorted(w for w in words if w not in known)
        entries = [
            f"{w}{f'({i + 1})' if i else ''} {p}" for w in sorted(known) for i, p in enumerate(known[w])
        ]
        for word in self.made_up:
            phones = pronounce(word, lambda w: (known.get(w) or [None])[0])
            if phones:
                entries.append(f"{word} {phones}")
        self.dict.write_text("\n".join(entries) + "\n", encoding="utf-8")
        sentences = [s for s in vocabulary.sentences if all(w in known or w in self.made_up for w in s)]
        self.lm.write_text(build_arpa(sentences, order=LM_ORDER), encoding="utf-8")
        if self.made_up:
            log.info("voice: made up pronunciations for %s", ", ".join(self.made_up))


class SphinxTranscriber:
    """PocketSphinx with a domain language model per roster; a pool of recognizers per process."""

    name = "pocketsphinx"

    def __init__(self, *, max_streams: int | None = None) -> None:
        import pocketsphinx  # noqa: F401 - fail here (ImportError) when the extra is missing

        self._model = _model_dir()
        self._workdir = Path(tempfile.mkdtemp(prefix="spotter-voice-"))
        atexit.register(shutil.rmtree, self._workdir, True)
        self._lock = threading.Lock()
        self._domains: dict[str, _Domain] = {}
        self._free: list[Any] = []
        self._voices: OrderedDict[str, _Voice] = OrderedDict()  # speaker -> what their notes taught
        self._slots = threading.BoundedSemaphore(max_streams or max(2, os.cpu_count() or 2))

    def domain(self, vocabulary: Vocabulary) -> _Domain:
        """The model files for this vocabulary, built on first use (a roster change builds anew)."""
        with self._lock:
            found = self._domains.get(vocabulary.fingerprint)
            if found is None:
                found = _Domain(vocabulary, self._workdir, self._model / "cmudict-en-us.dict")
                for old in list(self._domains):
                    del self._domains[old]  # one roster per process is the normal case; keep memory flat
                self._domains[vocabulary.fingerprint] = found
                self._free = [d for d in self._free if d.fingerprint == found.fingerprint]
            return found

    def _remember(self, speaker: str, voice: _Voice, heard: _Heard) -> None:
        with self._lock:
            voice.cmn, voice.cmn_warp = heard.cmn, heard.warp
            self._voices[speaker] = voice
            self._voices.move_to_end(speaker)
            while len(self._voices) > MAX_SPEAKERS:
                self._voices.popitem(last=False)

    def prepare(self, vocabulary: Vocabulary) -> None:
        """Build this vocabulary's model and one recognizer now (at start-up, not on the first note)."""
        self._release(self._decoder(self.domain(vocabulary)))

    def _release(self, pooled: _Pooled) -> None:
        """Back to the pool, unless its roster has been replaced meanwhile."""
        with self._lock:
            if pooled.fingerprint in self._domains:
                self._free.append(pooled)

    def _decoder(self, domain: _Domain) -> Any:
        with self._lock:
            for i, decoder in enumerate(self._free):
                if decoder.fingerprint == domain.fingerprint:
                    return self._free.pop(i)
        from pocketsphinx import Config, Decoder

        config = Config(
            hmm=str(self._model / "en-us"),
            lm=str(domain.lm),
            dict=str(domain.dict),
            samprate=16000,
            loglevel="FATAL",
            cmn="batch",  # the note's own mean: live CMN mishears the first words of short notes
            lw=LANGUAGE_WEIGHT,
            warp_type="inverse_linear",  # the speaker's warp is set per note (_warp)
        )
        decoder = _Pooled(Decoder(config), domain.fingerprint)
        return decoder

    def transcribe(
        self, chunks: Iterable[bytes], vocabulary: Vocabulary, speaker: str | None = None
    ) -> Transcript:
        domain = self.domain(vocabulary)
        audio = bytearray(_quiet(PAD_SAMPLES, 0))
        samples = 0
        for chunk in chunks:  # the whole note first (at most 2 minutes, 3.8 MB): see below
            samples += len(chunk) // 2
            audio += _floor(chunk, samples)
        audio += _quiet(PAD_SAMPLES, 1)
        with self._slots:
            pooled = self._decoder(domain)
            try:
                with self._lock:
                    voice = self._voices.get(speaker) if speaker else None
                voice = voice or _Voice()
                pcm = bytes(audio)
                heard = _hear(pooled.decoder, pcm, voice.warp, voice.cmn_at(voice.warp))
                if speaker and voice.notes < WARP_NOTES and heard.words:  # still learning this voice
                    fit = _fit(pooled.decoder, pcm, " ".join(w.text for w in heard.words))
                    with self._lock:
                        best = voice.weigh(fit)
                    if best != heard.warp:  # this note too is heard on the speaker's own scale
                        heard = _hear(pooled.decoder, pcm, best, None)
                if speaker:
                    self._remember(speaker, voice, heard)
            finally:
                self._release(pooled)
        return Transcript(heard.words, self.name, samples / 16000, alternatives=heard.alternatives)


@dataclass(frozen=True)
class _Heard:
    """One decoding of a note, with the warp and the cepstral mean it was heard with."""

    words: tuple[Word, ...]
    alternatives: tuple[str, ...]
    warp: float
    cmn: str


@dataclass
class _Voice:
    """What a speaker's earlier notes taught the recognizer: their frequency scale and cepstral mean.

    A voice whose vocal tract is shorter or longer than the acoustic model's
    average speaker (the model hears many women, children and some men badly)
    is heard better with the frequency axis warped to match (vocal tract length
    normalisation). The warp is the maximum-likelihood one: each of the
    speaker's first WARP_NOTES notes is aligned to what was heard under every
    factor in WARPS, and the peak of the summed likelihoods so far (`_peak`) is
    used from then on; after WARP_NOTES notes it is kept. A note without a
    speaker is heard unwarped: nothing learnt of it could be used again.
    """

    warp: float = 1.0
    fit: dict[float, float] = field(default_factory=dict)  # warp -> summed alignment log-likelihood
    notes: int = 0  # notes weighed
    cmn: str | None = None
    cmn_warp: float = 1.0  # the cepstral mean depends on the warp it was measured under

    def cmn_at(self, warp: float) -> str | None:
        return self.cmn if self.cmn is not None and self.cmn_warp == warp else None

    def weigh(self, fit: dict[float, float] | None) -> float:
        """Add one note's likelihoods (None: the note could not be aligned); the best warp so far."""
        if fit:
            self.notes += 1
            for warp, score in fit.items():
                self.fit[warp] = self.fit.get(warp, 0.0) + score
            self.warp = _peak(self.fit)
        return self.warp


def _peak(fit: dict[float, float]) -> float:
    """The grid's warp nearest to where a parabola through the likelihoods peaks.

    One alignment's likelihood jumps by a few units from one warp to the next
    (a silence or a pronunciation chosen differently), so the single best grid
    point wanders; the trend over the grid does not.
    """
    import numpy as np

    warps = np.array(sorted(fit))
    a, b, _ = np.polyfit(warps, [fit[w] for w in warps], 2)
    top = -b / (2 * a) if a < 0 else max(fit, key=fit.__getitem__)  # no peak: the best point
    return min(fit, key=lambda w: abs(w - top))


def _hear(decoder: Any, audio: bytes, warp: float, cmn: str | None) -> _Heard:
    """Decode `audio` with the domain language model, the frequency axis warped by `warp`."""
    _warp(decoder, warp)
    decoder.activate_search()  # the language model (alignment, below, switches it off)
    decoder.start_utt()
    try:
        if cmn is None:  # a first note: normalised by its own cepstral mean (batch CMN)
            decoder.process_raw(audio, False, True)
        else:  # the speaker's voice and microphone as their earlier notes left them
            decoder.set_cmn(cmn)
            decoder.process_raw(audio, False, False)
    finally:
        decoder.end_utt()
    words = tuple(
        Word(said, max(0.0, min(1.0, float(seg.prob))), seg.start_frame / 100, seg.end_frame / 100)
        for seg in decoder.seg() or ()
        if (said := _spoken(seg.word))
    )
    best = " ".join(w.text for w in words)
    return _Heard(words, _alternatives(decoder, best), warp, decoder.get_cmn())


def _fit(decoder: Any, audio: bytes, text: str) -> dict[float, float] | None:
    """Log-likelihood of the heard `text` aligned to `audio` under each warp; None if one underflows.

    Aligning the same words under every warp compares the sound alone (a full
    decode per warp would also compare different sentences, and an alignment
    costs about a fifth of a decode: 50 ms for a 4-second note here).
    """
    fit: dict[float, float] = {}
    try:
        for warp in WARPS:
            _warp(decoder, warp)
            decoder.set_align_text(text)
            decoder.start_utt()
            try:
                decoder.process_raw(audio, False, True)
            finally:
                decoder.end_utt()
            scores = [seg.ascore for seg in decoder.seg() or ()]
            if not scores or min(scores) <= _UNDERFLOW:
                return None  # a long pause: its likelihood is below what a float holds
            fit[warp] = sum(math.log(s) for s in scores)
    except RuntimeError:  # a word the aligner cannot place
        return None
    finally:
        decoder.activate_search()
    return fit


def _warp(decoder: Any, warp: float) -> None:
    decoder.config["warp_params"] = f"{warp:g}"
    decoder.reinit_feat()  # also a fresh front end: no noise or mean estimate left by another note


def _alternatives(decoder: Any, best: str) -> tuple[str, ...]:
    """The lattice's next-best distinct word strings after `best` (fillers and variants dropped)."""
    found: list[str] = []
    for i, hypothesis in enumerate(decoder.nbest() or ()):  # None without a lattice, like seg()
        if i >= N_BEST_SCAN or len(found) >= N_BEST or hypothesis is None:
            break  # None: the lattice has no further path
        text = " ".join(w for w in map(_spoken, (hypothesis.hypstr or "").split()) if w)
        if text and text != best and text not in found:
            found.append(text)
    return tuple(found)


def _spoken(word: str) -> str | None:
    """A decoder word as said ("three(2)" -> "three"); None for silences, noises and fillers."""
    if word in _FILLERS or word.startswith(("[", "+")):
        return None
    return word.split("(")[0]


class _Pooled:
    __slots__ = ("decoder", "fingerprint")

    def __init__(self, decoder: Any, fingerprint: str) -> None:
        self.decoder = decoder
        self.fingerprint = fingerprint
