"""The participant server's doors: what an anonymous visitor on the venue's network can reach.

Against a real participant server (``python -m toolkit.server``, a preheated pool): the kernel
websocket runs no code (execute, inspect, complete and history requests are dropped, in the
JSON and in the binary protocol), no URL yields a directory listing, a notebook, the database,
a dataset file or the dashboard (path traversal included), kernel ids are never listed, and a
forged resume token never opens another participant's answers.

``Wire`` is a small protocol client (the kernel websocket and the widget comm protocol, as
the browser's widget manager speaks them); tests/test_malformed.py uses it too.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import json
import re
import secrets
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, quote

import httpx
import pytest
import websocket

from toolkit.exercises.loader import default_exercises
from toolkit.store import Store

pytestmark = pytest.mark.server

_CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*'
    r"</script>",
    re.S,
)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
EXERCISES = {e.id: e for e in default_exercises()}


# --- a protocol client ----------------------------------------------------------------------
class Wire:
    """One browser tab, without a browser: loads the page, connects to its kernel and keeps
    every widget model's state up to date (``comm_open``, ``update``, ``echo_update``).

    Synchronous: a thread reads the websocket; ``until`` waits for a condition.
    """

    def __init__(self, base: str, query: str = "", timeout: float = 120):
        self.base = base
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}
        self.replies: list[tuple[str, str | None]] = []  # (msg_type, parent msg_id)
        self.closed = False
        self._cond = threading.Condition()
        self._lock = threading.Lock()
        page = httpx.get(f"{base}/{query}", timeout=timeout)
        page.raise_for_status()
        self.page = page.text
        self.kernel = kernel_id(page.text)
        self.ws = websocket.create_connection(self.channels_url(), timeout=timeout)
        threading.Thread(target=self._read, name="wire-reader", daemon=True).start()
        control = uuid.uuid4().hex
        self.message(
            "comm_open",
            {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": "1.0.0"},
        )
        self.send(control, {"method": "request_states"})

    def channels_url(self) -> str:
        return (
            self.base.replace("http", "ws", 1)
            + f"/api/kernels/{self.kernel}/channels?session_id={self.session}"
        )

    # sending
    def message(self, msg_type: str, content, *, metadata=None, channel="shell") -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "username": "",
            "session": self.session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
        }
        text = json.dumps(
            {
                "header": header,
                "parent_header": {},
                "metadata": metadata or {},
                "content": content,
                "channel": channel,
                "buffers": [],
            }
        )
        with self._lock:
            self.ws.send(text)
        return msg_id

    def send(self, comm_id: str, data) -> str:
        return self.message("comm_msg", {"comm_id": comm_id, "data": data})

    def click(self, model: str) -> str:
        return self.send(model, {"method": "custom", "content": {"event": "click"}})

    def update(self, model: str, state: dict) -> str:
        return self.send(model, {"method": "update", "state": state, "buffer_paths": []})

    def settle(self, timeout: float = 120) -> None:
        """Wait until the kernel has handled everything sent before (shell messages are
        handled in order; a kernel_info request is allowed and answered)."""
        mid = self.message("kernel_info_request", {})
        self.until(lambda: ("kernel_info_reply", mid) in self.replies, timeout)

    # receiving
    def _read(self) -> None:
        try:
            while True:
                opcode, raw = self.ws.recv_data()
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    break
                if opcode != websocket.ABNF.OPCODE_TEXT:
                    continue  # binary buffers: not needed
                self._take(json.loads(raw))
        except Exception:  # noqa: BLE001 - a closed connection ends the reading
            pass
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()

    def _take(self, message: dict) -> None:
        kind = message.get("msg_type") or message["header"]["msg_type"]
        content = message.get("content", {})
        with self._cond:
            self.replies.append((kind, (message.get("parent_header") or {}).get("msg_id")))
            if kind == "comm_open":
                self.models[content["comm_id"]] = dict(content.get("data", {}).get("state", {}))
            elif kind == "comm_close":
                self.models.pop(content["comm_id"], None)
            elif kind == "comm_msg":
                data = content.get("data", {})
                if data.get("method") in ("update", "echo_update"):
                    self.models.setdefault(content["comm_id"], {}).update(data.get("state", {}))
                elif data.get("method") == "update_states":
                    for model, entry in data.get("states", {}).items():
                        self.models.setdefault(model, {}).update(entry.get("state", {}))
            self._cond.notify_all()

    def until(self, predicate, timeout: float = 120):
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (found := predicate()):
                if self.closed:
                    raise ConnectionError("the kernel connection was closed")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the app did not answer in time")
                self._cond.wait(min(left, 1.0))
            return found

    # finding widgets
    def with_class(self, css: str, model_name: str | None = None) -> list[str]:
        with self._cond:
            return [
                m
                for m, s in self.models.items()
                if css in s.get("_dom_classes", ())
                and (model_name is None or s.get("_model_name") == model_name)
            ]

    def children(self, model: str) -> list[str]:
        return [
            c.removeprefix("IPY_MODEL_") for c in self.models.get(model, {}).get("children", [])
        ]

    def tree(self, model: str) -> list[str]:
        found, todo = [], [model]
        while todo:
            current = todo.pop(0)
            found.append(current)
            todo.extend(self.children(current))
        return found

    def text(self, model: str) -> str:
        with self._cond:
            return " ".join(
                f"{self.models.get(m, {}).get('value', '')} "
                f"{self.models.get(m, {}).get('description', '')}"
                for m in self.tree(model)
            )

    def find(self, root: str, **state) -> list[str]:
        """Models under ``root`` whose state has every given key/value."""
        with self._cond:
            return [
                m
                for m in self.tree(root)
                if all(self.models.get(m, {}).get(k) == v for k, v in state.items())
            ]

    def status_of(self, question: str) -> str:
        """The save-status widget under a question."""
        return next(
            m
            for m in self.tree(question)
            if "workshop-save-status" in self.models[m].get("_dom_classes", ())
        )

    # the app's screens
    def question_of(self, model: str) -> str:
        """The question (prompt, inputs, save status) a widget belongs to."""
        return next(q for q in self.with_class("workshop-question") if model in self.tree(q))

    def join(self) -> str:
        """Join under the suggested pseudonym; return it."""
        button = self.until(lambda: self.with_class("workshop-join"))[0]
        with self._cond:
            self.pseudonym = next(
                s["value"]
                for s in self.models.values()
                if s.get("_model_name") == "TextModel" and s.get("description") == "Schuilnaam"
            )
        self.click(button)
        self.until(lambda: self.with_class("workshop-overview"))
        return self.pseudonym

    def open_exercise(self, exercise_id: str) -> str:
        title = html.escape(EXERCISES[exercise_id].title("nl"))
        card = self.until(
            lambda: [c for c in self.with_class("workshop-exercise-card") if title in self.text(c)]
        )[0]
        opener = next(
            m
            for m in self.tree(card)
            if "workshop-open-exercise" in self.models[m].get("_dom_classes", ())
        )
        self.click(opener)
        return self.until(lambda: self.with_class(f"workshop-exercise-{exercise_id}"))[0]

    def resume_query(self) -> dict[str, str]:
        """The resume link's query (code, t, lang) the app hands to the page."""
        found = self.until(
            lambda: [
                s["value"]
                for s in list(self.models.values())
                if "workshop-resume" in str(s.get("value", ""))
                and "data-query" in str(s.get("value", ""))
            ]
        )
        query = html.unescape(re.search(r"data-query='([^']*)'", found[0]).group(1))
        return {k: v[0] for k, v in parse_qs(query.lstrip("?")).items()}

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001, S110 - already gone
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def kernel_id(page: str) -> str:
    found = _CONFIG.search(page)
    assert found, f"page without jupyter-config-data: {page[-300:]}"
    return json.loads(found.group(1))["kernelId"]


def answers(db: Path, session_id: int) -> list[tuple]:
    store = Store.open(f"sqlite:///{db}")
    try:
        return [(a.participant_id, a.exercise, a.item, a.value) for a in store.answers(session_id)]
    finally:
        store.close()


# --- the server -----------------------------------------------------------------------------


def _raw_get(port: int, path: str, method: str = "GET") -> tuple[int, bytes]:
    """One request with the path exactly as written (no client-side '..' resolving)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- the kernel websocket runs no code ------------------------------------------------------


def _execute_over_binary_protocol(wire: Wire, code: str) -> list[str]:
    """Send an execute_request over a second connection that speaks the v1 (binary)
    kernel websocket protocol; return the message types answered to it."""
    from jupyter_server.services.kernels.connection.base import (
        deserialize_msg_from_ws_v1,
        serialize_msg_to_ws_v1,
    )

    url = wire.channels_url().replace(wire.session, uuid.uuid4().hex)
    ws = websocket.create_connection(
        url, timeout=30, subprotocols=["v1.kernel.websocket.jupyter.org"]
    )
    assert ws.getsubprotocol() == "v1.kernel.websocket.jupyter.org"
    msg_id = uuid.uuid4().hex
    header = {
        "msg_id": msg_id,
        "username": "",
        "session": uuid.uuid4().hex,
        "msg_type": "execute_request",
        "version": "5.3",
        "date": "2024-01-01T00:00:00Z",
    }
    content = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
    ws.send_binary(serialize_msg_to_ws_v1(parts, "shell"))
    answered = []
    ws.settimeout(0.5)
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        try:
            opcode, raw = ws.recv_data()
        except websocket.WebSocketTimeoutException:
            continue
        except websocket.WebSocketConnectionClosedException:
            break
        if opcode == websocket.ABNF.OPCODE_BINARY:
            _channel, frames = deserialize_msg_from_ws_v1(raw)
            reply_header, parent = (json.loads(frames[i]) for i in (0, 1))
        elif opcode == websocket.ABNF.OPCODE_TEXT:
            reply = json.loads(raw)
            reply_header, parent = reply["header"], reply.get("parent_header") or {}
        else:
            break
        if parent.get("msg_id") == msg_id and reply_header["msg_type"] != "status":
            answered.append(reply_header["msg_type"])
    ws.close()
    return answered


# --- no listing, no source, no data files ----------------------------------------------------
DOORS = [
    "/voila/tree",
    "/voila/tree/",
    "/voila/render/facilitator.ipynb",
    "/voila/render/participant.ipynb",
    "/voila/files/participant.ipynb",
    "/voila/files/facilitator.ipynb",
    "/voila/files/workshop.db",
    "/voila/files/../datasets/stakeholders/organisations.csv",
    "/voila/files/%2e%2e/datasets/stakeholders/organisations.csv",
    "/voila/api/contents",
    "/voila/api/contents/participant.ipynb",
    "/api/contents",
    "/api/contents/participant.ipynb",
    "/api/sessions",
    "/api/kernelspecs",
    "/api/kernels",
    "/api/kernels/",
    "/api/terminals",
    "/api/config/notebook",
    "/api/spec.yaml",
    "/tree",
    "/lab",
    "/notebooks/participant.ipynb",
    "/files/participant.ipynb",
    "/participant.ipynb",
    "/facilitator.ipynb",
    "/voila_apps/facilitator.ipynb",
    "/workshop.db",
    "/workshop-data/workshop.db",
    "/datasets/stakeholders/organisations.csv",
    "/datasets/stakeholders/relations.csv",
    "/%2e%2e/datasets/stakeholders/organisations.csv",
    "/%2e%2e/%2e%2e/pyproject.toml",
    "/map/../facilitator.ipynb",
    "/map/%2e%2e/facilitator.ipynb",
    "/voila/static/../../setup.py",
    "/voila/static/%2e%2e/%2e%2e/pyproject.toml",
    "/voila/static/..%2f..%2f..%2fpyproject.toml",
    "/voila/static/",
    "/voila/labextensions/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/labextensions/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/api/themes/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/templates/",
    "/voila/templates/x",
    "/voila/templates/nosuch/static/x.css",
    "/voila/templates/workshop/static/../../../../../../../etc/passwd",
    "/voila/templates/workshop/static/..%2f..%2fconf.json",
    "/voila/templates/workshop/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/templates/%2e%2e/static/voila.js",
    "/voila/templates/%2e%2e/%2e%2e/etc/passwd",
    "/workshop/static/../mapview.py",
    "/workshop/static/%2e%2e/mapview.py",
    "/workshop/static/..%2fmapview.py",
    "/workshop/static/..%2f..%2f..%2fpyproject.toml",
    "/login",
    "/logout",
]
NEVER = [
    b'"cells":',
    b"SQLite format",
    b"id,name,type",
    b"source,target,relation",
    b"root:x:0:0",
    b"[project]",
    b"import ",
    b"workshop-dashboard",
]


# --- one participant cannot reach another's answers -----------------------------------------


def _shown(wire: Wire) -> str:
    """Every text the page shows, apart from what is typed in input fields (the join
    screen suggests a random pseudonym, which could by chance be anyone's)."""
    with wire._cond:
        return " ".join(
            str(s.get("value", ""))
            for s in wire.models.values()
            if s.get("_model_name") in ("HTMLModel", "LabelModel", "HTMLMathModel")
        )


def _quote(text: str) -> str:
    return quote(text, safe="")


def test_tokens_are_random_and_only_their_hash_is_kept(tmp_path):
    """Are resume tokens 32 url-safe characters, all different, kept only as their SHA-256
    (no token in the database file or its WAL), and is a token useful only in its own
    session and only exactly as issued?"""
    db = tmp_path / "w.db"
    store = Store.open(f"sqlite:///{db}")
    try:
        one, two = store.create_session("A"), store.create_session("B")
        issued = [store.join(one.code, f"Deelnemer {i}") for i in range(40)]
        tokens = [token for _, token in issued]
        assert all(TOKEN.match(token) for token in tokens)
        assert len(set(tokens)) == len(tokens)
        with sqlite3.connect(db) as connection:
            stored = dict(connection.execute("SELECT id, token_hash FROM participants"))
        for person, token in issued:
            assert stored[person.id] == hashlib.sha256(token.encode()).hexdigest()
        raw = b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())
        assert not any(token.encode() in raw for token in tokens)
        person, token = issued[0]
        assert store.resume(one.code, token) == person
        assert store.resume(two.code, token) is None  # another session's code
        for guess in (
            token[:-1],
            token + "x",
            token.swapcase(),
            token.upper(),
            f" {token}",
            stored[person.id],
            str(person.id),
            person.pseudonym,
            "",
            "%",
            "*",
            "' OR '1'='1",
            token * 4,
            "\x00",
            f"{token}\x00",
        ):
            assert store.resume(one.code, guess) is None, guess
        assert all(store.resume(one.code, secrets.token_urlsafe(24)) is None for _ in range(200))
    finally:
        store.close()
