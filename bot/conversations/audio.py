"""The MIME type of an audio file, from its extension (voice turns and `spotter say --voice`).

`mimetypes` does not know the containers chat platforms use for voice notes
(.opus, .oga, .m4a on some systems), so the common ones are listed here once.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".webm": "audio/webm",
    ".flac": "audio/flac",
}


def audio_mime(path: str | Path) -> str:
    path = Path(path)
    return (
        AUDIO_TYPES.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )
