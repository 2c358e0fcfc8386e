"""`spotter voice install-model`, against a local HTTP server serving a zip the test builds."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

NAME = "vosk-model-tiny-test-0.1"


def _model_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(f"{NAME}/am/final.mdl", b"acoustic model")
        z.writestr(f"{NAME}/conf/model.conf", b"--sample-frequency=16000\n")
        z.writestr(f"{NAME}/graph/HCLr.fst", b"graph")
        z.writestr(f"{NAME}/README", b"test model")
    return out.getvalue()


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, bytes]]]:
    files: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", files
    httpd.shutdown()
    httpd.server_close()


def _publish(files: dict[str, bytes], md5: str) -> bytes:
    data = _model_zip()
    files[f"/models/{NAME}.zip"] = data
    files["/models/model-list.json"] = json.dumps([{"name": NAME, "md5": md5, "lang": "en-us"}]).encode()
    return data


def test_a_good_download_is_unpacked_into_the_data_directory(server, tmp_path: Path, monkeypatch) -> None:
    base, files = server
    data = _model_zip()
    _publish(files, hashlib.md5(data).hexdigest())  # noqa: S324 - the site publishes MD5s
    monkeypatch.setenv("SPOTTER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SPOTTER_VOSK_MODEL_URL", f"{base}/models/{NAME}.zip")
    result = CliRunner().invoke(main, ["voice", "install-model", NAME])
    assert result.exit_code == 0, result.output
    model = tmp_path / "vosk" / NAME
    assert (model / "am" / "final.mdl").read_bytes() == b"acoustic model"
    assert f"SPOTTER_VOSK_MODEL={model}" in result.output
    assert sorted(p.name for p in (tmp_path / "vosk").iterdir()) == [NAME]  # no temporary files left


def test_a_wrong_checksum_is_refused_and_leaves_nothing(server, tmp_path: Path, monkeypatch) -> None:
    base, files = server
    _publish(files, "0" * 32)
    monkeypatch.setenv("SPOTTER_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["voice", "install-model", NAME, "--url", f"{base}/models/{NAME}.zip"])
    assert result.exit_code != 0
    assert "not the published file" in result.output and "nothing was installed" in result.output
    assert list((tmp_path / "vosk").iterdir()) == []


def test_an_explicit_sha256_is_checked(server, tmp_path: Path, monkeypatch) -> None:
    base, files = server
    data = _publish(files, "unused")
    monkeypatch.setenv("SPOTTER_DATA_DIR", str(tmp_path))
    url = f"{base}/models/{NAME}.zip"
    bad = CliRunner().invoke(main, ["voice", "install-model", NAME, "--url", url, "--sha256", "ab" * 32])
    assert bad.exit_code != 0 and list((tmp_path / "vosk").iterdir()) == []
    good = hashlib.sha256(data).hexdigest()
    ok = CliRunner().invoke(main, ["voice", "install-model", NAME, "--url", url, "--sha256", good])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "vosk" / NAME / "conf" / "model.conf").exists()


def test_a_missing_model_is_a_clear_error(server, tmp_path: Path, monkeypatch) -> None:
    base, _ = server
    monkeypatch.setenv("SPOTTER_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(
        main, ["voice", "install-model", "nope", "--url", f"{base}/models/nope.zip", "--md5", "0" * 32]
    )
    assert result.exit_code != 0 and "download" in result.output and "failed" in result.output
