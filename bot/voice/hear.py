"""A voice message in the engine: transcribe it, then take exactly the text path.

The engine calls `hear(engine, turn)` for an `Incoming` with audio and no text.
The reply starts with what was heard ("I heard: log session with Emma at three
p m") so a wrong word can be corrected at once. When the recognizer's first reading is
something this speaker cannot have meant, its next reading that makes sense is taken instead
(`reconsider`, bot/voice/choose.py), unless a question is pending or the dialogue otherwise
reads the words in context. When the recognizer is unsure
(mean word confidence below SPOTTER_VOICE_MIN_CONFIDENCE) nothing is run yet:
the engine's own confirmation question ("Shall I go ahead?", Yes / No) is asked,
and "Yes" sends the transcript down the text path (a question that was pending
before the voice note is still answered by it).

Audio that cannot be heard (empty, damaged, silent, too long, not audio) gets a
sentence saying so, with error=True, and changes nothing. Transcripts are kept
per message for a while so a platform's retry is not decoded twice.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.dialogue.state import Pending
from bot.intents.registry import intent
from bot.messages import Reply

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.engine import Engine
    from bot.people import PersonLike
    from bot.turn import Turn
    from bot.voice.choose import Listener
    from bot.voice.transcriber import Transcript
    from nlu.frame import Frame

log = logging.getLogger(__name__)

INTENT = "voice_heard"
UNSURE = "I'm not sure I heard that right. Shall I go ahead?"
UNCLEAR = "Sorry, I couldn't make out any words in that voice message. Please try again, or type it."
_CACHE_SIZE = 128
_cache: OrderedDict[tuple[str, str], Transcript] = OrderedDict()
_cache_lock = threading.Lock()


def min_confidence() -> float:
    """Below this mean word confidence a transcript is confirmed before anything changes."""
    try:
        return float(os.environ.get("SPOTTER_VOICE_MIN_CONFIDENCE", "0.4"))
    except ValueError:
        return 0.4


def heard_line(text: str) -> str:
    return f"I heard: {text}"


def hear(engine: Engine, turn: Turn) -> Reply:
    """The reply to the voice message of `turn` (the engine's audio branch)."""
    message = turn.message
    names = [p.full_name for p in engine.studio_people(turn.uow)]
    try:
        transcript, silent = transcribe_message(
            message.audio,
            message.audio_mime,
            names,
            engine.parser,
            speaker=f"{message.channel}:{message.sender_id}",
        )
    except Exception as error:  # noqa: BLE001 - sorted below: a sentence for the person, or re-raised
        from bot.voice.audio import AudioProblem
        from bot.voice.transcriber import VoiceUnavailable

        if isinstance(error, AudioProblem | VoiceUnavailable):
            return Reply(str(error), error=True)
        raise
    if transcript.alternatives and not engine.in_context(turn, present(transcript.text, names)):
        from bot.voice.choose import Listener
        from domain.availability import fits_working_hours

        def works_at(trainer: PersonLike, start: datetime) -> bool:
            return turn.query(
                lambda uow: fits_working_hours(
                    uow.db, uow.studio, trainer.id, start, start + timedelta(minutes=1)
                )
            )

        listener = Listener(turn.speaker, turn.people, turn.now, works_at)
        transcript = reconsider(transcript, names, listener, lambda text: engine.parse(turn, text))
    text = present(transcript.text, names)
    if not text:
        if silent:
            return Reply(
                "I couldn't hear anything in that voice message; it seems silent. "
                "Please try again closer to the microphone, or type your message.",
                error=True,
            )
        return Reply(UNCLEAR, error=True)
    if transcript.confidence < min_confidence():
        slots: dict[str, Any] = {"_transcript": text}
        if turn.state.pending is not None:
            slots["_resume"] = turn.state.pending.to_json()
        return engine.run(turn, INTENT, slots)
    reply = engine.dispatch_text(turn, text)
    return replace(reply, text=f"{heard_line(text)}\n{reply.text}")


@intent(INTENT)
def voice_heard(turn: Turn, slots: dict[str, Any]) -> Reply:
    """An unsure transcript: ask first; on "Yes" it takes the text path like a typed message."""
    text = str(slots.get("_transcript") or "")
    turn.confirm(slots, f"{heard_line(text)}\n{UNSURE}")
    resume = slots.get("_resume")
    if isinstance(resume, dict):
        turn.state.pending = Pending.from_json(resume)
    return turn.engine.dispatch_text(turn, text)


def reconsider(
    transcript: Transcript, names: list[str], listener: Listener, parse: Callable[[str], Frame]
) -> Transcript:
    """The transcript of the recognizer's reading that makes sense for this speaker (bot/voice/choose.py).

    Words of the chosen reading that the first one also had keep their confidence; the others
    get the lowest confidence among the words they replace, so a reading the recognizer was
    unsure of is still confirmed before it changes anything.
    """
    from bot.voice.choose import choose
    from bot.voice.transcriber import Word

    readings = [present(text, names) for text in (transcript.text, *transcript.alternatives)]
    index = choose(readings, parse, listener)
    if index == 0:
        return transcript
    log.info("voice: %r read as %r (a later reading that makes sense)", transcript.text, readings[index])
    first = transcript.words
    chosen = transcript.alternatives[index - 1].split()
    words: list[Word] = []
    matcher = difflib.SequenceMatcher(a=[w.text for w in first], b=chosen, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            words += first[i1:i2]
            continue
        replaced = first[i1:i2] or first[max(0, i1 - 1) : i1 + 1]  # an insertion: its neighbours
        confidence = min((w.confidence for w in replaced), default=0.0)
        words += [Word(text, confidence) for text in chosen[j1:j2]]
    return replace(transcript, words=tuple(words))


def transcribe_message(
    audio: bytes | None, mime: str | None, names: list[str], parser: Any = None, speaker: str | None = None
) -> tuple[Transcript, bool]:
    """(transcript, whether the audio was silent) for one voice message, with the studio's names as hints."""
    from bot.voice.audio import PcmStream
    from bot.voice.transcriber import transcriber
    from bot.voice.vocabulary import build_vocabulary

    stream = PcmStream(audio, mime)  # refuses empty / oversized / non-audio before any decoding
    engine = transcriber()
    vocabulary = build_vocabulary(names, parser)
    # Per speaker too: the recognizer hears a speaker's note in the light of their earlier ones.
    key = (hashlib.sha256(audio or b"").hexdigest(), f"{engine.name}:{vocabulary.fingerprint}:{speaker}")
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached, False
    transcript = engine.transcribe(stream, vocabulary, speaker)
    if stream.silent and transcript.words:  # nothing above the noise floor the recognizer is given:
        transcript = replace(transcript, words=())  # what it "heard" is that floor, not the sender
    if transcript.unknown_names:
        log.warning("voice: the model does not know %s", ", ".join(transcript.unknown_names))
    with _cache_lock:
        _cache[key] = transcript
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return transcript, stream.silent  # a silent note has no words (above)


def warm_up(engine: Engine) -> int:
    """Build the recognizer's model for every studio's roster now; the number of studios warmed.

    Without this the first voice note after a start (or a roster change) waits about a second
    for the vocabulary, the language model and a recognizer. `spotter serve` calls it on a
    background thread; nothing depends on it finishing. Engines without `prepare` (Vosk, whose
    model loads on first use) are left alone.
    """
    from sqlalchemy import select

    from bot.voice.transcriber import VoiceUnavailable, transcriber
    from bot.voice.vocabulary import build_vocabulary
    from domain.actor import Actor
    from domain.model import Studio

    try:
        prepare = getattr(transcriber(), "prepare", None)
    except VoiceUnavailable:
        return 0
    if prepare is None:
        return 0
    with engine.store.sessions() as db:
        studio_ids = list(db.scalars(select(Studio.id)))
    for studio_id in studio_ids:
        names = engine.store.run(
            Actor.system(studio_id, "voice"), lambda uow: [p.full_name for p in engine.studio_people(uow)]
        )
        prepare(build_vocabulary(names, engine.parser))
    return len(studio_ids)


def present(text: str, names: list[str]) -> str:
    """The transcript as a person would type it: the studio's names capitalised ("emma" -> "Emma").

    Recognizers write lower case; the parser reads a capital as a sign of a name, as in typed text.
    Words that are also ordinary words ("will", "mark") are left alone.
    """
    from bot.people import name_words

    only_names = name_words(tuple(names))

    def cap(match: re.Match[str]) -> str:
        word = match.group(0)
        base = word[:-2] if word.endswith("'s") else word
        return word[:1].upper() + word[1:] if base in only_names else word

    return re.sub(r"[a-z]+(?:'s)?", cap, text.strip())
