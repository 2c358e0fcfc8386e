"""Getting an official Vosk model: download, verify, unpack into the user's data directory.

The zip comes from alphacephei's model site (or --url / SPOTTER_VOSK_MODEL_URL);
its expected checksum from the site's model list (`model-list.json` beside the
zip, which gives each model's MD5) or from --sha256 / --md5. A download whose
checksum differs is deleted and refused, and nothing is left behind; a good one
is unpacked beside its final place and moved in at once, so a half-unpacked
model is never found by SPOTTER_VOSK_MODEL.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

DEFAULT_MODEL = "vosk-model-small-en-us-0.15"
BASE_URL = "https://alphacephei.com/vosk/models"
_CHUNK = 1 << 16


class ModelError(Exception):
    """A model that cannot be installed; the text says why and what to do."""


def data_dir() -> Path:
    """Where Spotter keeps user data: SPOTTER_DATA_DIR, else $XDG_DATA_HOME/spotter (~/.local/share/spotter)."""
    explicit = os.environ.get("SPOTTER_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "spotter"


def model_url(name: str, url: str | None = None) -> str:
    return url or os.environ.get("SPOTTER_VOSK_MODEL_URL") or f"{BASE_URL}/{name}.zip"


def listed_checksum(name: str, zip_url: str) -> tuple[str, str]:
    """("md5", hex) for `name` from the model list next to the zip (alphacephei's model-list.json)."""
    list_url = zip_url.rsplit("/", 1)[0] + "/model-list.json"
    try:
        with urllib.request.urlopen(list_url, timeout=30) as response:  # noqa: S310 - http(s) only, checked
            models = json.load(response)
    except (OSError, ValueError) as error:
        raise ModelError(
            f"I couldn't read the model list at {list_url} to check the download ({error}). "
            "Give the checksum with --sha256 or --md5."
        ) from error
    for entry in models if isinstance(models, list) else ():
        if isinstance(entry, dict) and entry.get("name") == name and entry.get("md5"):
            return "md5", str(entry["md5"]).lower()
    raise ModelError(
        f"The model list at {list_url} has no checksum for {name}. Give one with --sha256 or --md5."
    )


def install(
    name: str = DEFAULT_MODEL,
    *,
    url: str | None = None,
    sha256: str | None = None,
    md5: str | None = None,
    target: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Download, verify and unpack model `name`; returns its directory (the value for SPOTTER_VOSK_MODEL)."""
    if not name or "/" in name or name.startswith("."):
        raise ModelError(f"{name!r} is not a model name (e.g. {DEFAULT_MODEL}).")
    zip_url = model_url(name, url)
    if not zip_url.startswith(("https://", "http://")):
        raise ModelError(f"{zip_url} is not an http(s) address.")
    if sha256:
        algorithm, expected = "sha256", sha256.lower()
    elif md5:
        algorithm, expected = "md5", md5.lower()
    else:
        algorithm, expected = listed_checksum(name, zip_url)
    root = (target or data_dir() / "vosk").expanduser()
    root.mkdir(parents=True, exist_ok=True)
    final = root / name
    if final.exists():
        raise ModelError(f"{final} already exists; remove it first to install {name} again.")
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    try:
        archive = work / "model.zip"
        digest = hashlib.new(algorithm)
        try:
            with urllib.request.urlopen(zip_url, timeout=60) as response, archive.open("wb") as out:  # noqa: S310
                while block := response.read(_CHUNK):
                    digest.update(block)
                    out.write(block)
                    if progress:
                        progress(len(block))
        except OSError as error:
            raise ModelError(f"The download from {zip_url} failed: {error}") from error
        if digest.hexdigest() != expected:
            raise ModelError(
                f"The download of {name} is not the published file ({algorithm} {digest.hexdigest()}, "
                f"expected {expected}); nothing was installed."
            )
        unpacked = work / "unpacked"
        _unzip(archive, unpacked)
        source = _model_root(unpacked)
        source.rename(final)
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _unzip(archive: Path, into: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                parts = PurePosixPath(member.filename).parts
                if member.filename.startswith("/") or ".." in parts:
                    raise ModelError(f"The model archive has an unsafe path ({member.filename}); refused.")
            zipped.extractall(into)
    except zipfile.BadZipFile as error:
        raise ModelError(f"The download is not a zip file ({error}).") from error


def _model_root(unpacked: Path) -> Path:
    """The directory holding am/ and conf/ (official zips have one top folder named like the model)."""
    from bot.voice.vosk import is_model_dir

    candidates = [unpacked, *(p for p in unpacked.iterdir() if p.is_dir())]
    for candidate in candidates:
        if is_model_dir(candidate):
            return candidate
    raise ModelError("The archive does not hold a Vosk model (no am/final.mdl); nothing was installed.")
