"""A fake Slack Web API on 127.0.0.1 for the adapter tests and the channels benchmark.

The real slack-sdk / slack-bolt talk to it through their base URL
(`AsyncWebClient(base_url=fake.api_url)`, or `SPOTTER_SLACK_API_URL` for
`spotter serve`). It answers like Slack for the methods Spotter uses, records
every call (method + arguments, merged from query, form and JSON bodies),
keeps the files uploaded through files_upload_v2's three steps, serves files
for download (bearer token required, like files.slack.com), and offers a
Socket Mode websocket handed out by apps.connections.open, through which a
test pushes envelopes and reads the app's acknowledgements.

    async with FakeSlack() as fake:
        fake.users["U1"] = {"email": "sarah@example.com", "name": "sarah"}
        ...
        fake.calls_to("chat.postMessage")
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SIGNING_SECRET = "test-signing-secret"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class Upload:
    file_id: str
    filename: str
    content: bytes = b""
    title: str | None = None
    channel: str | None = None
    completed: bool = False


@dataclass
class FakeSlack:
    """The fake server; `users` maps user id -> {"email", "name", ...} for users.info."""

    tokens: set[str] = field(default_factory=lambda: {BOT_TOKEN, APP_TOKEN})
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)
    downloads: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    download_tokens: list[str | None] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    record: bool = True

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._connected = asyncio.Event()
        self._acked = asyncio.Condition()
        self.port = 0

    # --- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlack:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{name}", self._download)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    # --- what the tests look at --------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def add_download(self, name: str, content: bytes, mime: str) -> str:
        """A file the app may fetch with its bot token (like url_private_download); returns the URL."""
        self.downloads[name] = (content, mime)
        return f"{self.base}/files/{name}"

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until `method` was called `count` times (the app answers after its ack)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.calls_to(method)) < count:
            if loop.time() > deadline:
                raise AssertionError(f"{method} called {len(self.calls_to(method))} times, wanted {count}")
            await asyncio.sleep(0.01)
        return self.calls_to(method)

    # --- Socket Mode -------------------------------------------------------------------------

    async def socket_connected(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        """Push one envelope (events_api / slash_commands / interactive) to the connected app."""
        await self.socket_connected()
        await self._sockets[-1].send_str(json.dumps(envelope))

    async def socket_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        async with self._acked:
            await asyncio.wait_for(
                self._acked.wait_for(
                    lambda: any(a.get("envelope_id") == envelope_id for a in self.socket_acks)
                ),
                timeout,
            )
        return next(a for a in self.socket_acks if a.get("envelope_id") == envelope_id)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {}}))
        self._connected.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                async with self._acked:
                    self.socket_acks.append(json.loads(msg.data))
                    self._acked.notify_all()
        return ws

    # --- the Web API -------------------------------------------------------------------------

    async def _arguments(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._arguments(request)
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else args.get("token")
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if token not in self.tokens:
            result: dict[str, Any] = {"ok": False, "error": "invalid_auth"}
        elif handler is None:
            result = {"ok": False, "error": "unknown_method"}
        else:
            result = handler(args, token)
        if self.record:
            self.calls.append(Call(method, args, token, result))
        return web.json_response(result)

    def _m_auth_test(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://northside.slack.com/",
            "team": "Northside Strength",
            "user": "spotter",
            "team_id": "T0001",
            "user_id": "UBOT",
            "bot_id": "BBOT",
        }

    def _m_apps_connections_open(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        if not token.startswith("xapp-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}

    def _m_users_info(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        user_id = args.get("user", "")
        known = self.users.get(user_id)
        if known is None:
            return {"ok": False, "error": "user_not_found"}
        profile = {"email": known.get("email"), "real_name": known.get("name", user_id)}
        return {
            "ok": True,
            "user": {
                "id": user_id,
                "team_id": "T0001",
                "name": known.get("name", user_id),
                "deleted": known.get("deleted", False),
                "is_bot": known.get("is_bot", False),
                "is_email_confirmed": known.get("is_email_confirmed", True),
                "profile": {k: v for k, v in profile.items() if v is not None},
            },
        }

    def _m_conversations_open(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        users = str(args.get("users", ""))
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("U")}}

    def _ts_now(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _m_chat_postMessage(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        if not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        ts = self._ts_now()
        return {
            "ok": True,
            "channel": args["channel"],
            "ts": ts,
            "message": {"text": args.get("text"), "ts": ts},
        }

    def _m_chat_update(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        if not args.get("channel") or not args.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": args["channel"], "ts": args["ts"], "text": args.get("text")}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):06d}"
        self.uploads[file_id] = Upload(file_id, args["filename"])
        return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="unknown upload")
        upload.content = await request.read()
        return web.Response(text=f"OK - {len(upload.content)}")

    def _m_files_completeUploadExternal(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        files = args.get("files")
        items = json.loads(files) if isinstance(files, str) else files or []
        done = []
        for item in items:
            upload = self.uploads.get(item.get("id"))
            if upload is None or not upload.content:
                return {"ok": False, "error": "file_not_found"}
            upload.title = item.get("title")
            upload.channel = args.get("channel_id")
            upload.completed = True
            done.append({"id": upload.file_id, "name": upload.filename, "title": upload.title})
        return {"ok": True, "files": done}

    async def _download(self, request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        self.download_tokens.append(header.removeprefix("Bearer ") or None)
        if header.removeprefix("Bearer ") not in self.tokens:
            return web.Response(status=403, text="login required")
        found = self.downloads.get(request.match_info["name"])
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found[0], content_type=found[1])
