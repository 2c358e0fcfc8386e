"""Synthesised voice messages for the voice tests and the benchmark.

espeak-ng says a sentence into a WAV; PyAV re-encodes it the way chat
platforms send voice notes: OGG/Opus (Telegram), WebM/Opus (browsers),
M4A/AAC (Slack, phones), MP3. Everything is made once per process into a
cache directory (the suite synthesises each clip once).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# (voice, words per minute): two voices, two speeds.
VOICES = (("en-us", 150), ("en-us+f3", 175))

MIME = {
    "ogg": "audio/ogg",
    "webm": "audio/webm",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
}
_CODEC = {"ogg": ("ogg", "libopus"), "webm": ("webm", "libopus"), "m4a": ("ipod", "aac"), "mp4": ("mp4", "aac"), "mp3": ("mp3", "libmp3lame"), "wav": ("wav", "pcm_s16le")}  # fmt: skip


def espeak() -> str | None:
    return shutil.which("espeak-ng")


def say_wav(text: str, voice: str, speed: int) -> bytes:
    """espeak-ng's WAV of `text` (22.05 kHz mono)."""
    binary = espeak()
    if binary is None:
        raise RuntimeError("espeak-ng is not installed")
    return subprocess.run(
        [binary, "-v", voice, "-s", str(speed), "--stdout", text], check=True, capture_output=True
    ).stdout


def encode(wav: bytes, fmt: str, *, rate: int | None = None, channels: int = 1) -> bytes:
    """Re-encode a WAV into `fmt` ("ogg", "webm", "m4a", "mp4", "mp3", "wav") with PyAV."""
    import av

    container_format, codec = _CODEC[fmt]
    out = io.BytesIO()
    layout = "mono" if channels == 1 else "stereo"
    with av.open(io.BytesIO(wav)) as source, av.open(out, mode="w", format=container_format) as target:
        in_rate = source.streams.audio[0].rate
        target_rate = rate or (48000 if codec == "libopus" else in_rate if codec == "pcm_s16le" else 44100)
        stream = target.add_stream(codec, rate=target_rate, layout=layout)
        fmt_name = stream.codec_context.codec.audio_formats[0].name
        resampler = av.AudioResampler(format=fmt_name, layout=layout, rate=target_rate)
        for frame in source.decode(audio=0):
            for converted in resampler.resample(frame):
                for packet in stream.encode(converted):
                    target.mux(packet)
        for converted in resampler.resample(None):
            for packet in stream.encode(converted):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()


@dataclass(frozen=True)
class Clip:
    text: str
    voice: str
    speed: int
    fmt: str
    data: bytes

    @property
    def mime(self) -> str:
        return MIME[self.fmt]


class ClipCache:
    """Clips made on first request and kept on disk under `root` (one synthesis per session)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def clip(self, text: str, voice: str, speed: int, fmt: str) -> Clip:
        key = hashlib.sha1(f"{text}|{voice}|{speed}|{fmt}".encode()).hexdigest()[:16]
        path = self.root / f"{key}.{fmt}"
        if not path.exists():
            wav_path = (
                self.root / f"{hashlib.sha1(f'{text}|{voice}|{speed}'.encode()).hexdigest()[:16]}.src.wav"
            )
            if not wav_path.exists():
                wav_path.write_bytes(say_wav(text, voice, speed))
            wav = wav_path.read_bytes()
            path.write_bytes(wav if fmt == "wav" else encode(wav, fmt))
        return Clip(text, voice, speed, fmt, path.read_bytes())
