"""The kernel websocket, checked: a frame is validated before anything is built from it.

Jupyter Server reads a binary frame's buffer count from its first bytes and builds that
many entries before it looks at the frame's length: one 8-byte frame claiming 2**29
buffers made the server compile a 2**29-item struct format (gigabytes, kept in ``struct``'s
cache), and in the v1 protocol a count of 2**40 makes it loop until memory runs out. It also
logs a message without a ``channel`` whole ("No channel specified, assuming shell: ..."),
and names the type of a refused message as the client sent it: whatever a client sends
lands in the log. :class:`CheckedKernelConnection` parses every frame within its own length,
closes the websocket on a malformed one, and logs only fixed text.
"""

from __future__ import annotations

import json
import struct

from jupyter_client.jsonutil import extract_dates
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["CheckedKernelConnection", "MalformedFrame", "parse_frame", "MAX_PARTS"]

V1 = "v1.kernel.websocket.jupyter.org"
MAX_PARTS = 1024  # buffers in one message: widgets send a handful
# Message types named in the log when refused; any other type is "of another type".
KNOWN_TYPES = frozenset(
    f"{name}_request"
    for name in (
        "execute",
        "inspect",
        "complete",
        "history",
        "is_complete",
        "comm_info",
        "kernel_info",
        "shutdown",
        "interrupt",
        "debug",
        "input",
    )
) | {"comm_open", "comm_msg", "comm_close", "input_reply"}


class MalformedFrame(ValueError):
    """A frame that is not a kernel message; the text is the project's, never the frame's."""


def _offsets(data: bytes, count: int, width: int, order: str, start: int) -> list[int]:
    """``count`` offsets of ``width`` bytes at ``start``, checked against the frame."""
    if count < 1 or count > MAX_PARTS + 8:
        raise MalformedFrame("an impossible number of parts")
    end = start + count * width
    if end > len(data):
        raise MalformedFrame("a frame shorter than its own table of parts")
    fmt = {4: "I", 8: "Q"}[width]
    offsets = list(struct.unpack(f"{order}{count}{fmt}", data[start:end]))
    if offsets[0] < end or any(b < a for a, b in zip(offsets, offsets[1:])):
        raise MalformedFrame("parts that overlap or run backwards")
    if offsets[-1] > len(data):
        raise MalformedFrame("a part beyond the end of the frame")
    return offsets


def _message(obj) -> dict:
    if not isinstance(obj, dict):
        raise MalformedFrame("a message that is not an object")
    for key in ("header", "parent_header", "metadata", "content"):
        if not isinstance(obj.get(key), dict):
            raise MalformedFrame("a message without its four parts")
    if not isinstance(obj["header"].get("msg_type"), str):
        raise MalformedFrame("a message without a type")
    return obj


def parse_frame(frame: bytes | str, subprotocol: str | None):
    """Return ``(channel, message, parts)`` of one websocket frame, or raise MalformedFrame.

    In the v1 protocol ``parts`` are the raw parts (header, parent header, metadata,
    content, buffers...) and ``message`` holds the decoded ``header``; in the legacy
    protocol ``message`` is the whole message and ``parts`` is None. A missing channel is
    ``shell``, as Jupyter assumes.

    Examples
    --------
    >>> parse_frame(b"\\x1f\\xff\\xff\\xff\\x00\\x00\\x00\\x00", None)
    Traceback (most recent call last):
    ...
    toolkit.server.kernel_socket.MalformedFrame: an impossible number of parts
    """
    try:
        if subprotocol == V1:
            if not isinstance(frame, bytes) or len(frame) < 8:
                raise MalformedFrame("a v1 frame that is not binary")
            count = int.from_bytes(frame[:8], "little")
            if count < 6:
                raise MalformedFrame("an impossible number of parts")
            offsets = _offsets(frame, count, 8, "<", 8)
            channel = frame[offsets[0] : offsets[1]].decode("utf-8")
            parts = [frame[a:b] for a, b in zip(offsets[1:], offsets[2:])]
            header = json.loads(parts[0])
            if not isinstance(header, dict) or not isinstance(header.get("msg_type"), str):
                raise MalformedFrame("a message without a type")
            return channel, {"header": header}, parts
        if isinstance(frame, bytes):
            if len(frame) < 4:
                raise MalformedFrame("a binary frame shorter than its table of parts")
            count = struct.unpack("!I", frame[:4])[0]
            offsets = _offsets(frame, count, 4, "!", 4) + [len(frame)]
            parts = [frame[a:b] for a, b in zip(offsets, offsets[1:])]
            message = _message(json.loads(parts[0].decode("utf-8")))
            message["buffers"] = parts[1:]
            message["header"] = extract_dates(message["header"])  # as Jupyter does
            message["parent_header"] = extract_dates(message["parent_header"])
        else:
            message = _message(json.loads(frame))
            message["buffers"] = []  # buffers only come in binary frames
        channel = message.pop("channel", None)
        return ("shell" if channel is None else channel), message, None
    except MalformedFrame:
        raise
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError, struct.error):
        raise MalformedFrame("a frame that is not a kernel message") from None


class CheckedKernelConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's kernel websocket connection with frames checked before they are used and
    no part of a client's message in the log."""

    def handle_incoming_message(self, incoming_msg) -> None:
        if not self.channels:
            return  # already closed
        try:
            channel, message, parts = parse_frame(incoming_msg, self.subprotocol)
        except MalformedFrame as problem:
            self.log.warning("closed a kernel websocket that sent %s", problem)
            self.websocket_handler.close(1007, "not a kernel message")
            return
        if not isinstance(channel, str) or channel not in self.channels:
            self.log.warning("dropped a kernel message for a channel that does not exist")
            return
        allowed = self.multi_kernel_manager.allowed_message_types
        kind = message["header"]["msg_type"]
        if allowed and kind not in allowed:
            shown = kind if kind in KNOWN_TYPES else "another type"
            self.log.warning("dropped a kernel message of a type that is not allowed (%s)", shown)
            return
        stream = self.channels[channel]
        if parts is not None:
            self.session.send_raw(stream, parts)
        else:
            self.session.send(stream, message)
