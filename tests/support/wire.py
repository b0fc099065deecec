"""A kernel-protocol client for the Voila pages that remain (the facilitator's dashboard).

``Wire`` is one browser tab without a browser: it loads a page, connects to its kernel's
websocket and speaks the widget comm protocol as the browser's widget manager does.
``kernel_id`` reads a Voila page's kernel id.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid

import httpx
import websocket

_CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*'
    r"</script>",
    re.S,
)


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

    def update(self, model: str, state: dict) -> str:
        return self.send(model, {"method": "update", "state": state, "buffer_paths": []})

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
