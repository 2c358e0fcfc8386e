"""A fake Telegram Bot API server on 127.0.0.1 for the Telegram channel's tests and benchmark.

The real python-telegram-bot talks to it through `base_url` / `base_file_url`
(SPOTTER_TELEGRAM_API_URL = `fake.url`), so nothing inside the library is
patched. It answers the methods the channel uses the way Telegram does
(`{"ok": true, "result": ...}`, 401 for a wrong token, 429 with
`parameters.retry_after` when asked to), records every call, serves queued
updates to `getUpdates` (long polling), posts updates to the registered webhook
with its secret token (like Telegram), and serves uploaded files at
`/file/bot<token>/<path>` for `getFile` downloads.

    fake = await FakeTelegram().start()
    fake.queue_update(fake.text_update(42, "hello"))          # polling
    status = await fake.deliver(fake.text_update(42, "hi"))  # webhook
    await fake.wait_for("sendMessage")
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456:TEST-token"
BOT_ID = 123456
BOT_USERNAME = "spotter_test_bot"


@dataclass
class Call:
    """One request the bot made: the method, its decoded parameters, uploaded files and when."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = 0.0


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _decode(value: str) -> Any:
    """PTB sends form fields; anything that is not a plain string is JSON-encoded."""
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


class FakeTelegram:
    """The Bot API as far as the Telegram channel uses it, on an ephemeral loopback port."""

    def __init__(self, token: str = TOKEN, *, max_poll_wait: float = 0.5) -> None:
        self.token = token
        self.max_poll_wait = max_poll_wait
        self.calls: list[Call] = []
        self.messages: dict[int, dict[str, Any]] = {}  # what the bot sent, by message id
        self.webhook: dict[str, Any] | None = None
        self.commands: list[dict[str, Any]] = []
        self.files: dict[str, tuple[str, bytes, int]] = {}  # file_id -> (path, content, reported size)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.blocked: set[int] = set()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.port = 0
        self.clock: Callable[[], float] = time.time  # the date updates carry (tests use the store's clock)

    # --- life cycle ----------------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """What SPOTTER_TELEGRAM_API_URL is set to."""
        return f"http://127.0.0.1:{self.port}"

    # --- what the tests arrange ----------------------------------------------------------------

    def rate_limit_once(self, method: str, retry_after: int = 1) -> None:
        """The next call to `method` is answered 429 with `retry_after` (Telegram's flood control)."""
        self.fail_once(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            parameters={"retry_after": retry_after},
        )

    def fail_once(
        self, method: str, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        """The next call to `method` fails with this status (e.g. 502 when Telegram has a bad moment)."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self._failures.setdefault(method, []).append((status, body))

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: sending to their chat is 403, as Telegram answers."""
        self.blocked.add(chat_id)

    def add_file(self, content: bytes, *, path: str = "voice/file.oga", size: int | None = None) -> str:
        """A file getFile can describe and the file URL serves; `size` can claim a bigger file_size."""
        file_id = f"file-{next(self._file_ids)}"
        self.files[file_id] = (f"{file_id}/{path}", content, len(content) if size is None else size)
        return file_id

    def queue_update(self, update: dict[str, Any]) -> int:
        """Serve `update` to the next getUpdates (long polling); returns its update id."""
        self._updates.append(update)
        self._poke()
        return int(update["update_id"])

    async def deliver(self, update: dict[str, Any], *, secret: str | None = None) -> int:
        """POST `update` to the webhook like Telegram: with its secret, unless `secret` is given."""
        assert self.webhook is not None, "no webhook was set"
        token = self.webhook.get("secret_token") if secret is None else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": token} if token else {}
        if self._client is None:
            self._client = aiohttp.ClientSession()
        async with self._client.post(self.webhook["url"], json=update, headers=headers) as response:
            await response.read()
            return response.status

    # --- updates as Telegram writes them -------------------------------------------------------

    def user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}

    def _message(self, user_id: int, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(self.clock()),
            "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
            "from": self.user(user_id),
            **content,
        }

    def text_update(self, user_id: int, text: str, *, update_id: int | None = None) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {
            "update_id": next(self._update_ids) if update_id is None else update_id,
            "message": self._message(user_id, **content),
        }

    def voice_update(
        self, user_id: int, file_id: str, *, mime: str = "audio/ogg", duration: int = 2, audio: bool = False
    ) -> dict[str, Any]:
        """A voice note (or, with audio=True, an audio file) whose content was registered with add_file."""
        _, content, size = self.files[file_id]
        media = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "duration": duration,
            "mime_type": mime,
            "file_size": size,
        }
        kind = "audio" if audio else "voice"
        return {"update_id": next(self._update_ids), "message": self._message(user_id, **{kind: media})}

    def callback_update(self, user_id: int, data: str, message_id: int) -> dict[str, Any]:
        """A press on an inline button of the bot's message `message_id`."""
        sent = self.messages[message_id]
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": f"cb{next(self._callback_ids)}",
                "from": self.user(user_id),
                "chat_instance": f"ci{user_id}",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": sent["date"],
                    "chat": {"id": sent["chat_id"], "type": "private"},
                    "from": self._bot_user(),
                    "text": sent.get("text", ""),
                    **({"reply_markup": sent["reply_markup"]} if sent.get("reply_markup") else {}),
                },
            },
        }

    # --- what the tests inspect ----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages (text, documents, photos) the bot sent to a chat, oldest first."""
        return [m for _, m in sorted(self.messages.items()) if m["chat_id"] == chat_id]

    def last_text(self, chat_id: int) -> dict[str, Any]:
        texts = [m for m in self.sent_to(chat_id) if "text" in m]
        assert texts, f"nothing was sent to {chat_id}"
        return texts[-1]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """Wait until the bot made at least `count` calls to `method`."""
        deadline = time.monotonic() + timeout
        while len(self.calls_to(method)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{method} called {len(self.calls_to(method))} times, wanted {count}")
            await self._wait_change(remaining)
        return self.calls_to(method)

    # --- the API -------------------------------------------------------------------------------

    def _poke(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, timeout: float) -> None:
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Spotter", "username": BOT_USERNAME}

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = (value.filename, value.file.read())
                else:
                    params[name] = _decode(value)
        for name, value in list(params.items()):
            # A file field referred to as "attach://name" is the upload itself.
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                files[name] = files.pop(value[9:])
        return params, files

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params, files = await self._params(request)
        self.calls.append(Call(method, params, files, time.monotonic()))
        self._poke()
        pending = self._failures.get(method)
        if pending:
            status, body = pending.pop(0)
            return web.json_response(body, status=status)
        if method.startswith("send") and _int(params.get("chat_id")) in self.blocked:
            return web.json_response(
                {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
                status=403,
            )
        answer = getattr(self, f"_m_{method}", None)
        if answer is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        result = answer(params, files)
        if asyncio.iscoroutine(result):
            result = await result
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    def _bad(self, description: str) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}, status=400
        )

    def _m_getMe(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return {**self._bot_user(), "can_join_groups": True, "can_read_all_group_messages": False}

    async def _m_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if self.webhook is not None:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 409,
                    "description": "Conflict: can't use getUpdates method while webhook is active",
                },
                status=409,
            )
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        wait = min(float(params.get("timeout") or 0), self.max_poll_wait)
        deadline = time.monotonic() + wait
        while not self._updates and time.monotonic() < deadline:
            await self._wait_change(deadline - time.monotonic())
        limit = int(params.get("limit") or 100)
        return self._updates[:limit]

    def _m_setWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        secret = params.get("secret_token")
        if secret is not None and not (1 <= len(str(secret)) <= 256):
            return self._bad("secret token is invalid")
        self.webhook = {"url": params["url"], "secret_token": secret}
        return True

    def _m_deleteWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_setMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.commands = list(params.get("commands") or [])
        return True

    def _check_markup(self, markup: Any) -> web.Response | None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not (1 <= len(str(data).encode()) <= 64):
                    return self._bad("BUTTON_DATA_INVALID")
        return None

    def _store(self, chat_id: Any, **content: Any) -> dict[str, Any]:
        message_id = next(self._message_ids)
        message = {"chat_id": int(chat_id), "date": int(time.time()), **content}
        self.messages[message_id] = message
        return {
            "message_id": message_id,
            "date": message["date"],
            "chat": {"id": int(chat_id), "type": "private"},
            "from": self._bot_user(),
            **{k: v for k, v in content.items() if k in ("text", "reply_markup", "caption")},
        }

    def _m_sendMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        text = str(params.get("text", ""))
        if not text.strip():
            return self._bad("message text is empty")
        if len(text) > 4096:
            return self._bad("message is too long")
        markup = params.get("reply_markup")
        return self._check_markup(markup) or self._store(params["chat_id"], text=text, reply_markup=markup)

    def _m_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        message = self.messages.get(int(params.get("message_id") or 0))
        if message is None or message["chat_id"] != int(params.get("chat_id") or 0):
            return self._bad("message to edit not found")
        markup = params.get("reply_markup") or None
        if markup == {"inline_keyboard": []}:
            markup = None
        if markup == message.get("reply_markup"):
            return self._bad("message is not modified")
        message["reply_markup"] = markup
        return {
            "message_id": int(params["message_id"]),
            "date": message["date"],
            "chat": {"id": message["chat_id"], "type": "private"},
            "text": message.get("text", ""),
        }

    def _m_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    def _upload(self, kind: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if kind not in files:
            return self._bad(f"there is no {kind} in the request")
        filename, content = files[kind]
        message = self._store(
            params["chat_id"],
            **{kind: {"filename": filename, "content": content}},
            caption=params.get("caption"),
        )
        file_id = self.add_file(content, path=f"{kind}s/{filename}")
        if kind == "photo":
            message["photo"] = [
                {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 1, "height": 1}
            ]
        else:
            message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": filename}
        return message

    def _m_sendDocument(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._upload("document", params, files)

    def _m_sendPhoto(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._upload("photo", params, files)

    def _m_getFile(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        found = self.files.get(str(params.get("file_id")))
        if found is None:
            return self._bad("wrong file_id or the file is temporarily unavailable")
        path, _, size = found
        if size > 20 * 1024 * 1024:
            return self._bad("file is too big")
        return {
            "file_id": params["file_id"],
            "file_unique_id": f"u{params['file_id']}",
            "file_size": size,
            "file_path": path,
        }

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        self.calls.append(Call("download", {"path": request.match_info["path"]}, {}, time.monotonic()))
        for path, content, _ in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=content)
        return web.Response(status=404)
