"""`spotter voice ...`: the speech engine's setup (an English Vosk model for the primary engine)."""

from __future__ import annotations

import click


@click.group()
def voice() -> None:
    """Speech input: install a Vosk model (PocketSphinx is used until one is configured)."""


@voice.command("install-model")
@click.argument("name", required=False)
@click.option(
    "--url", help="Where to download the zip (default: alphacephei's site; or SPOTTER_VOSK_MODEL_URL)."
)
@click.option("--sha256", help="The zip's expected SHA-256 (default: the MD5 from the site's model list).")
@click.option("--md5", help="The zip's expected MD5.")
def install_model(name: str | None, url: str | None, sha256: str | None, md5: str | None) -> None:
    """Download an official Vosk model zip, check its checksum and unpack it into the data directory."""
    from bot.voice.models import DEFAULT_MODEL, ModelError, install, model_url

    name = name or DEFAULT_MODEL
    click.echo(f"Downloading {name} from {model_url(name, url)} ...")
    try:
        path = install(name, url=url, sha256=sha256, md5=md5)
    except ModelError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Installed {name} in {path}")
    click.echo(f"Use it with: export SPOTTER_VOSK_MODEL={path}")
