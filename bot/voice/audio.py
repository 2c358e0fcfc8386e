"""Audio in: any container and codec PyAV can read -> 16 kHz mono 16-bit PCM, streamed.

Chat platforms send voice notes as OGG/Opus (Telegram), WebM/Opus (browsers),
M4A/AAC or MP4 (Slack, phones); files may be MP3 or WAV at any rate and channel
count. `PcmStream` decodes lazily in chunks, so a recognizer starts on the first
second while the rest is still being decoded, and it stops at the limits
(2 minutes, 20 MB) instead of decoding a whole long file first.

Every way a file can be unusable is an `AudioProblem` whose text is the reply
the person gets ("That voice message is longer than 2 minutes ..."); nothing
is changed for it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from math import sqrt

RATE = 16000  # samples per second the recognizers take
SAMPLE_BYTES = 2  # 16-bit
MAX_SECONDS = 120.0
MAX_BYTES = 20 * 1024 * 1024
SILENCE_RMS = 120.0  # 16-bit RMS of the loudest 30 ms below which a message is silence (about -48 dBFS)
_WINDOW = RATE * 30 // 1000  # samples in 30 ms

# Types that are never sound: refused before any decoding (an image sent by mistake).
_NOT_AUDIO = ("image/", "text/", "font/", "application/pdf", "application/json", "application/zip")


class AudioProblem(Exception):
    """An audio file that cannot be heard; `str(error)` is the sentence the person reads."""

    kind = "problem"


class EmptyAudio(AudioProblem):
    kind = "empty"


class TooLong(AudioProblem):
    kind = "too_long"


class TooLarge(AudioProblem):
    kind = "too_large"


class WrongFormat(AudioProblem):
    kind = "wrong_format"


class CorruptAudio(AudioProblem):
    kind = "corrupt"


class SilentAudio(AudioProblem):
    kind = "silent"


def check_size(data: bytes | None, mime: str | None) -> None:
    """Refuse what can be refused without decoding: nothing, too big, not audio at all."""
    if not data:
        raise EmptyAudio("That voice message was empty. Please record it again, or type your message.")
    if len(data) > MAX_BYTES:
        raise TooLarge(
            f"That voice message is too large ({len(data) / 1024 / 1024:.0f} MB; the limit is 20 MB). "
            "Please keep voice messages under 2 minutes, or type your message."
        )
    kind = (mime or "").split(";")[0].strip().lower()
    if kind.startswith(_NOT_AUDIO):
        raise WrongFormat(_wrong_format(kind))


def _wrong_format(kind: str | None) -> str:
    what = f" ({kind})" if kind else ""
    return (
        f"That file{what} isn't a voice message I can play. Please send a voice note "
        "(OGG, WebM, M4A, MP3 or WAV), or type your message."
    )


class PcmStream:
    """Iterate 16 kHz mono s16 PCM chunks of an audio file held in memory.

    After iterating, `seconds` is the decoded duration and `loudest_rms` the
    RMS of the loudest 30 ms window (how `hear` tells silence from mumbling).
    Raises an `AudioProblem` for a file that is empty, unreadable, not audio,
    or longer than MAX_SECONDS (as soon as that is known).
    """

    def __init__(
        self, data: bytes | None, mime: str | None = None, *, max_seconds: float = MAX_SECONDS
    ) -> None:
        check_size(data, mime)
        self.data = data or b""
        self.mime = mime
        self.max_seconds = max_seconds
        self.samples = 0
        self.loudest_rms = 0.0

    @property
    def seconds(self) -> float:
        return self.samples / RATE

    def __iter__(self) -> Iterator[bytes]:
        import av  # the `voice` extra; imported here so the engine starts without it

        try:
            container = av.open(io.BytesIO(self.data), mode="r")
        except (av.FFmpegError, ValueError, OSError) as error:
            raise CorruptAudio(
                "I couldn't read that audio file; it may be damaged or in a format I don't know. "
                "Please record it again, or type your message."
            ) from error
        with container:
            streams = [s for s in container.streams if s.type == "audio"]
            if not streams:
                raise WrongFormat(_wrong_format(self.mime))
            stream = streams[0]
            declared = _declared_seconds(container, stream)
            if declared is not None and declared > self.max_seconds + 1:
                raise self._too_long(declared)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
            decoded_any = False
            try:
                for frame in container.decode(stream):
                    decoded_any = True
                    for out in resampler.resample(frame):
                        yield self._take(out)
                for out in resampler.resample(None):
                    yield self._take(out)
            except (av.FFmpegError, ValueError) as error:
                if not decoded_any or self.samples < RATE // 10:
                    raise CorruptAudio(
                        "I couldn't read that audio file; it seems damaged. "
                        "Please record it again, or type your message."
                    ) from error
                # A file cut short after some good audio: what was decoded is still worth hearing.
            if self.samples == 0:
                raise EmptyAudio("That voice message has no sound in it. Please record it again.")

    def _take(self, frame) -> bytes:  # type: ignore[no-untyped-def]
        pcm = frame.to_ndarray().reshape(-1)
        self.samples += int(pcm.shape[0])
        if self.samples > self.max_seconds * RATE:
            raise self._too_long(self.seconds)
        self._measure(pcm)
        return pcm.astype("<i2", copy=False).tobytes()

    def _measure(self, pcm) -> None:  # type: ignore[no-untyped-def]
        import numpy as np

        usable = pcm.shape[0] - pcm.shape[0] % _WINDOW
        if usable:
            windows = pcm[:usable].astype(np.float64).reshape(-1, _WINDOW)
            loudest = float(np.sqrt((windows * windows).mean(axis=1)).max())
        elif pcm.shape[0]:
            values = pcm.astype(np.float64)
            loudest = sqrt(float((values * values).mean()))
        else:
            return
        self.loudest_rms = max(self.loudest_rms, loudest)

    @property
    def silent(self) -> bool:
        return self.loudest_rms < SILENCE_RMS

    def _too_long(self, seconds: float) -> TooLong:
        minutes = int(self.max_seconds // 60)
        return TooLong(
            f"That voice message is longer than {minutes} minutes"
            f"{f' ({_mmss(seconds)})' if seconds > self.max_seconds else ''}. "
            f"Please keep voice messages under {minutes} minutes, or type your message."
        )


def _declared_seconds(container, stream) -> float | None:  # type: ignore[no-untyped-def]
    """The duration the file's header claims, when it claims one (checked again while decoding)."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def _mmss(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def pcm16(data: bytes, mime: str | None = None) -> bytes:
    """The whole file as 16 kHz mono s16 PCM (tests and benchmarks; the engine streams)."""
    return b"".join(PcmStream(data, mime))
