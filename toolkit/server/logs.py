"""A server process's log: capped files, bounded lines, repeats summarised, output captured.

A client must not be able to fill the disk through the log. :func:`configure_server_logging`
sends every log record of the process (and everything written to its standard output and
error, by Python, by C libraries and by the kernels it starts, which inherit both) through

- :func:`clip_record`: one record is one line of at most ``line_limit`` characters (control
  and bidi characters escaped, so nobody forges a line), a traceback at most
  ``TRACEBACK_LINES`` lines, a client's address never shown;
- :class:`Summariser`: the first ``burst`` records of one kind in ``window`` seconds are
  written, the rest counted and summarised ("repeated 240 times in the last 60 s");
- :class:`LogFile`: ``<folder>/<role>.log`` of at most ``max_bytes``, with ``backups``
  older files; nothing else is written. Warnings and errors are on disk at once; the
  access log's lines within a second (a line costs a buffered write, not a flush).
"""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import os
import re
import sys
import threading
import time
from pathlib import Path

__all__ = [
    "configure_server_logging",
    "clip",
    "clip_record",
    "Summariser",
    "LogFile",
    "LINE_LIMIT",
    "MAX_BYTES",
    "BACKUPS",
]

LINE_LIMIT = 1000  # characters in one log line
TRACEBACK_LINES = 60  # lines of one traceback (its last lines are kept)
MAX_BYTES = 4 * 1024 * 1024  # one log file
BACKUPS = 3  # older files kept: at most 16 MB of log per server
FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_FLUSH = b"\x00workshop-log-flush\x00\n"


def clip(text: str, limit: int = LINE_LIMIT) -> str:
    """``text`` as one line of at most ``limit`` characters (plus a note of what was cut).

    Examples
    --------
    >>> clip("two\\nlines")
    'two\\\\x0alines'
    >>> clip("x" * 30, 10)
    'xxxxxxxxxx… (20 more characters left out)'
    """
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters left out)"
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _clip_traceback(text: str, limit: int) -> str:
    lines = text.splitlines()
    if len(lines) > TRACEBACK_LINES:
        cut = len(lines) - TRACEBACK_LINES
        lines = [f"  ... ({cut} lines of traceback left out)", *lines[-TRACEBACK_LINES:]]
    # frames are the server's own code; the exception's message may quote a request
    return "\n".join(clip(line, min(limit, 300)) for line in lines)


def clip_record(record: logging.LogRecord, limit: int = LINE_LIMIT) -> logging.LogRecord:
    """Render ``record``'s message once, as one clipped line, with no client address."""
    args = record.args
    if args:
        record.args = tuple(_no_address(a) for a in args) if isinstance(args, tuple) else args
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a broken format string is still logged, safely
        message = f"{record.msg!s:.200} (unformattable arguments)"
    record.msg, record.args = clip(message, limit), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    record.exc_info = None
    if record.exc_text:
        record.exc_text = _clip_traceback(record.exc_text, limit)
    if record.stack_info:
        record.stack_info = _clip_traceback(record.stack_info, limit)
    return record


def _no_address(value):
    """Tornado logs a connection's context (its client's address) and the error of a
    malformed request (which quotes the request) in some messages."""
    name = type(value).__name__
    if name == "_HTTPRequestContext":
        return "a client"
    if name == "HTTPInputError":
        return "a malformed request (not shown)"
    return value


def _kind(record: logging.LogRecord) -> tuple:
    """Records of one kind: same logger, level and template, same texts as arguments;
    numbers do not count (statuses, durations, task, line and process numbers)."""
    args = record.args if isinstance(record.args, tuple) else ()
    texts = tuple(_DIGITS.sub("#", str(a)[:100]) for a in args if not isinstance(a, int | float))
    return record.name, record.levelno, _DIGITS.sub("#", str(record.msg)[:200]), texts


_DIGITS = re.compile(r"\d+")


class Summariser(logging.Handler):
    """Pass the first ``burst`` records of a kind per ``window`` seconds to ``target``;
    count the rest and pass one summary when the window ends. Records below ``level_from``
    (the access log's successful requests, say) are passed as they come.

    Examples
    --------
    >>> import logging
    >>> class Keep(logging.Handler):
    ...     def __init__(self): super().__init__(); self.lines = []
    ...     def emit(self, record): self.lines.append(record.getMessage())
    >>> now = [0.0]
    >>> keep = Keep(); summary = Summariser(keep, burst=2, window=60, clock=lambda: now[0])
    >>> log = logging.getLogger("doctest.summariser"); log.propagate = False
    >>> log.addHandler(summary)
    >>> for _ in range(100): log.warning("404 GET %s", "ErrorHandler")
    >>> now[0] = 61.0; summary.flush_expired()
    >>> keep.lines[-1]
    'repeated 98 times in the last 60 s: 404 GET ErrorHandler'
    >>> len(keep.lines)
    3
    >>> log.removeHandler(summary); summary.close()
    """

    def __init__(
        self,
        target: logging.Handler,
        *,
        burst: int = 5,
        window: float = 60.0,
        level_from: int = logging.WARNING,
        limit: int = LINE_LIMIT,
        clock=time.monotonic,
    ):
        super().__init__()
        self.target, self.burst, self.window = target, burst, window
        self.level_from, self.limit, self.clock = level_from, limit, clock
        self._seen: dict[tuple, list] = {}  # kind -> [window start, count, last record]
        self._due = float("inf")  # when the earliest window ends

    def emit(self, record: logging.LogRecord) -> None:
        if self.clock() >= self._due:
            self.flush_expired()
        if record.levelno < self.level_from:
            self.target.handle(clip_record(record, self.limit))
            return
        kind = _kind(record)
        with self.lock:
            entry = self._seen.get(kind)
            if entry is None:
                entry = self._seen[kind] = [self.clock(), 0, None]
                self._due = min(self._due, entry[0] + self.window)
            entry[1] += 1
            suppressed = entry[1] > self.burst
            if suppressed:
                entry[2] = record
        if not suppressed:
            self.target.handle(clip_record(record, self.limit))

    def flush_expired(self, force: bool = False) -> None:
        """Pass a summary for every kind whose window has ended (all of them if ``force``)."""
        now = self.clock()
        due = []
        with self.lock:
            for kind, (start, count, last) in list(self._seen.items()):
                if force or now - start >= self.window:
                    del self._seen[kind]
                    if count > self.burst and last is not None:
                        due.append((count - self.burst, min(now - start, self.window), last))
            starts = [start for start, _, _ in self._seen.values()]
            self._due = min(starts) + self.window if starts else float("inf")
        for repeats, span, last in due:
            clip_record(last, self.limit)
            summary = logging.makeLogRecord(
                {
                    "name": last.name,
                    "levelno": last.levelno,
                    "levelname": last.levelname,
                    "msg": "repeated %d times in the last %d s: %s",
                    "args": (repeats, round(span), last.msg),
                }
            )
            self.target.handle(clip_record(summary, self.limit))

    def flush(self) -> None:
        if getattr(self, "_closed", False):
            return
        self.flush_expired(force=True)
        self.target.flush()

    def close(self) -> None:
        self.flush()
        self.target.close()
        super().close()


def _capture(fd: int, logger: logging.Logger, level: int, limit: int) -> threading.Event:
    """Point file descriptor ``fd`` at a pipe whose lines become log records of ``logger``.

    Child processes (the kernels) inherit the pipe. A line longer than ``limit`` is cut;
    the rest of it is read and dropped, so no buffer grows with it.
    """
    read_end, write_end = os.pipe()
    os.dup2(write_end, fd)
    os.close(write_end)
    flushed = threading.Event()

    def pump() -> None:
        pending, head, dropped = b"", b"", 0  # head: the kept start of a line too long
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for raw in lines:
                    if head:  # the end of a line too long: drop it, say how much
                        dropped += len(raw)
                        raw, head = head, b""
                    if raw + b"\n" == _FLUSH:
                        flushed.set()
                        continue
                    text = raw.decode("utf-8", "replace").rstrip("\r")
                    if dropped:
                        text += f"… ({dropped} more bytes left out)"
                        dropped = 0
                    if text.strip():
                        logger.log(level, "%s", text)
                if len(pending) > limit * 4:  # a line without end yet: keep its start only
                    if not head:
                        head, pending = pending[: limit // 2], pending[limit // 2 :]
                    dropped += len(pending)
                    pending = b""

    threading.Thread(target=pump, name=f"workshop-log-fd{fd}", daemon=True).start()
    return flushed


class LogFile(logging.handlers.RotatingFileHandler):
    """A rotated log file that counts its size as it writes (the standard handler formats
    every record twice and asks the file for its size each time) and flushes at once only
    what matters: a warning, an error, a summary. Other lines (a request done) wait in the
    file's buffer until :meth:`flush`, which the log's own thread calls every second.

    Examples
    --------
    >>> import logging, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "t.log")
    >>> handler = LogFile(path, maxBytes=100, backupCount=1)
    >>> record = logging.makeLogRecord({"msg": "x" * 60, "levelno": logging.WARNING})
    >>> _ = handler.handle(record); os.path.getsize(path)  # a warning: on disk at once
    61
    >>> _ = handler.handle(record); os.path.getsize(path), os.path.getsize(path + ".1")
    (61, 61)
    >>> info = logging.makeLogRecord({"msg": "done", "levelno": logging.INFO})
    >>> _ = handler.handle(info); os.path.getsize(path)  # a request done: in the buffer
    61
    >>> handler.flush(); os.path.getsize(path)
    66
    >>> handler.close()
    """

    flush_from = logging.WARNING

    def _open(self):
        stream = super()._open()
        self.size = stream.tell()
        return stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"{self.format(record)}{self.terminator}"
            data = len(line.encode("utf-8", "replace"))
            if self.stream is None:
                self.stream = self._open()
            if self.maxBytes > 0 and self.size and self.size + data > self.maxBytes:
                self.doRollover()
                if self.stream is None:
                    self.stream = self._open()
            self.stream.write(line)
            self.size += data
            if record.levelno >= self.flush_from:
                self.stream.flush()
        except Exception:  # noqa: BLE001 - the standard handlers' way: a log must not crash
            self.handleError(record)


def configure_server_logging(
    role: str,
    folder: Path | None,
    *,
    max_bytes: int = MAX_BYTES,
    backups: int = BACKUPS,
    line_limit: int = LINE_LIMIT,
    level: int = logging.INFO,
) -> Path | None:
    """Send this process's logging, and its standard output and error, to
    ``<folder>/<role>.log`` (rotated at ``max_bytes``, ``backups`` older files kept),
    each record clipped to one line and repeats summarised; return the file's path.

    With ``folder=None`` records go to standard error, clipped and summarised, and the
    output is not captured (a server run by hand in a terminal).
    """
    logging.raiseExceptions = False  # a failing handler must not write to stderr (= the log)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    path = None
    if folder is None:
        target: logging.Handler = logging.StreamHandler(sys.stderr)
    else:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{role}.log"
        target = LogFile(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    target.setFormatter(logging.Formatter(FORMAT))
    summariser = Summariser(target, limit=line_limit)
    root.addHandler(summariser)
    root.setLevel(level)
    logging.captureWarnings(True)
    _tick(summariser)
    if folder is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        output = logging.getLogger(f"workshop.{role}.output")
        flushed = [
            _capture(1, output, logging.INFO, line_limit),
            _capture(2, output, logging.WARNING, line_limit),
        ]
        sys.stdout.reconfigure(line_buffering=True)
        sys.stderr.reconfigure(line_buffering=True)

        def drain() -> None:
            """At exit, wait (briefly) until what was written last is in the log."""
            for fd, event in zip((1, 2), flushed):
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os.write(fd, _FLUSH)
                except OSError:
                    continue
                event.wait(2.0)
            summariser.flush()

        atexit.register(drain)
    return path


def _tick(summariser: Summariser, every: float = 1.0) -> None:
    """Put buffered lines on disk every second, and write due summaries even when no new
    record arrives to trigger them."""

    def run() -> None:
        while True:
            time.sleep(every)
            summariser.flush_expired()
            summariser.target.flush()

    threading.Thread(target=run, name="workshop-log-summaries", daemon=True).start()
