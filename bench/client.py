"""A light participant: speaks the page's HTTP + kernel websocket protocol like the browser's
widget manager does, without rendering. Used for join waves of many participants.

It loads the page (as the browser would, without the static scripts), connects to the
kernel's websocket, asks for every widget's state (``request_states``), and is interactive
when the join button's model has arrived. It then clicks (a ``custom`` click message),
opens the first exercise and answers by sending ``update`` messages to the radio buttons,
waiting each time for the app's "saved" status, exactly as a browser's widget views do.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field

import httpx
import websockets

__all__ = ["Participant", "Outcome"]

_CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*'
    r"</script>",
    re.S,
)


@dataclass
class Outcome:
    tti: float | None = None
    sent: int = 0
    acknowledged: int = 0
    error: str = ""
    answers: dict = field(default_factory=dict)


class Participant:
    """One participant joining at ``base`` with session ``code``."""

    def __init__(self, base: str, code: str, answers: int = 10):
        self.base, self.code, self.answers = base, code, answers
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}
        self.ws = None
        self.outcome = Outcome()
        self._changed = asyncio.Event()

    # --- protocol -----------------------------------------------------------------------
    def _message(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        header = {
            "msg_id": uuid.uuid4().hex,
            "username": "",
            "session": self.session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
        }
        return json.dumps(
            {
                "header": header,
                "parent_header": {},
                "metadata": metadata or {},
                "content": content,
                "channel": "shell",
                "buffers": [],
            }
        )

    async def _send(self, comm_id: str, data: dict) -> None:
        await self.ws.send(self._message("comm_msg", {"comm_id": comm_id, "data": data}))

    async def _reader(self) -> None:
        async for raw in self.ws:
            if isinstance(raw, bytes):
                continue  # binary buffers: not needed here
            message = json.loads(raw)
            kind = message.get("msg_type") or message["header"]["msg_type"]
            content = message.get("content", {})
            if kind == "comm_open":
                state = content.get("data", {}).get("state", {})
                self.models[content["comm_id"]] = dict(state)
            elif kind == "comm_msg":
                data = content.get("data", {})
                if data.get("method") == "update":
                    self.models.setdefault(content["comm_id"], {}).update(data.get("state", {}))
                elif data.get("method") == "update_states":
                    for model_id, entry in data.get("states", {}).items():
                        self.models.setdefault(model_id, {}).update(entry.get("state", {}))
            self._changed.set()

    async def _until(self, predicate, timeout: float):
        deadline = time.monotonic() + timeout
        while True:
            found = predicate()
            if found:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the app did not answer in time")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                pass

    def _with_class(self, css_class: str, model: str | None = None) -> list[str]:
        return [
            mid
            for mid, state in self.models.items()
            if css_class in state.get("_dom_classes", ())
            and (model is None or state.get("_model_name") == model)
        ]

    # --- the visit ------------------------------------------------------------------------
    async def run(self, timeout: float = 120.0) -> Outcome:
        started = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=timeout) as http:
                response = await http.get(f"{self.base}/?code={self.code}")
                response.raise_for_status()
            found = _CONFIG.search(response.text)
            if found is None:
                text = re.sub(r"\s+", " ", response.text[-300:])
                raise RuntimeError(f"page without a kernel (HTTP {response.status_code}): {text}")
            config = json.loads(found.group(1))
            kernel = config["kernelId"]
            url = (
                self.base.replace("http", "ws", 1)
                + f"/api/kernels/{kernel}/channels?session_id={self.session}"
            )
            async with websockets.connect(url, max_size=2**26, open_timeout=timeout) as ws:
                self.ws = ws
                reader = asyncio.create_task(self._reader())
                try:
                    await self._visit(ws, started, timeout)
                finally:
                    reader.cancel()  # also after a failure: no stray reader task
                await ws.close()
        except Exception as exc:  # every failure is a result to report, not a crash
            self.outcome.error = f"{type(exc).__name__}: {exc}"[:200]
        return self.outcome

    async def _visit(self, ws, started: float, timeout: float) -> None:
        """Join, open the first exercise and answer (the websocket is open)."""
        control = uuid.uuid4().hex
        await ws.send(
            self._message(
                "comm_open",
                {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                metadata={"version": "1.0.0"},
            )
        )
        await self._send(control, {"method": "request_states"})
        join = await self._until(lambda: self._with_class("workshop-join"), timeout)
        self.outcome.tti = time.monotonic() - started
        await self._send(join[0], {"method": "custom", "content": {"event": "click"}})
        opener = await self._until(lambda: self._with_class("workshop-open-exercise"), timeout)
        await self._send(opener[0], {"method": "custom", "content": {"event": "click"}})
        await self._until(lambda: self._with_class("workshop-exercise"), timeout)
        scales = sorted(self._with_class("workshop-scale"))
        await self._answer(scales, timeout)

    async def _answer(self, scales: list[str], timeout: float) -> None:
        statuses = self._with_class("workshop-save-status")
        for number in range(self.answers):
            radio = scales[number % len(scales)]
            level = number % 5
            await self._choose(radio, level, statuses, timeout)
            self.outcome.acknowledged += 1
            self.outcome.answers[number % len(scales)] = level + 1

    async def _choose(self, radio: str, level: int, statuses: list[str], timeout: float) -> None:
        """Pick ``level`` (0-based) on the radio buttons ``radio``; wait until one of the
        ``statuses`` newly says "saved" (the app's acknowledgement)."""
        before = {sid: self._status_text(sid) for sid in statuses}
        await self._send(radio, {"method": "update", "state": {"index": level}, "buffer_paths": []})
        self.outcome.sent += 1
        await self._until(
            lambda before=before: any(
                "workshop-status-ok" in self._status_text(sid)
                and self._status_text(sid) != before[sid]
                for sid in statuses
            ),
            timeout,
        )

    def _status_text(self, status_box: str) -> str:
        children = self.models.get(status_box, {}).get("children", [])
        texts = []
        for child in children:
            child_id = child.removeprefix("IPY_MODEL_")
            texts.append(str(self.models.get(child_id, {}).get("value", "")))
        return " ".join(texts)
