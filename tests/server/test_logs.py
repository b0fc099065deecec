"""A server process's log (toolkit.server.logs): one bounded line per record, no client
address, repeats summarised, files capped, and everything the process and its children
write to standard output and error captured into the same capped files."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

from tests.support.servers import ROOT
from toolkit.server.logs import LINE_LIMIT, Summariser, clip, clip_record


class Keep(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def lines(self) -> list[str]:
        return [logging.Formatter("%(message)s").format(r) for r in self.records]


def _record(msg, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("test", logging.WARNING, __file__, 1, msg, args, exc_info)


def test_a_record_is_one_short_line():
    """Does a record with a 21 MB argument, newlines, a forged log line and a
    right-to-left override become one line of at most the limit?"""
    forged = "x\n2026-01-01 00:00:00,000 ERROR [workshop.server] forged\u202e" + "A" * 21_000_000
    record = clip_record(_record("No channel specified, assuming shell: %s", forged))
    text = logging.Formatter("%(message)s").format(record)
    assert "\n" not in text and "\u202e" not in text
    assert len(text) <= LINE_LIMIT + 60
    assert "more characters left out" in text


def test_a_traceback_is_bounded():
    """Is a traceback kept (the server's frames help), but its lines clipped and a deep
    one shortened to its last lines?"""

    def deep(n):  # two functions in turn: Python does not fold such a traceback
        if n == 0:
            raise KeyError("K" * 100_000)
        deeper(n - 1)

    def deeper(n):
        deep(n)

    try:
        deep(100)
    except KeyError:
        record = clip_record(_record("failed", exc_info=sys.exc_info()))
    text = logging.Formatter("%(message)s").format(record)
    assert "KeyError" in text and "lines of traceback left out" in text
    assert len(text) < 80 * 400
    assert all(len(line) < 400 for line in text.splitlines())


def test_a_client_address_is_not_logged():
    """Is Tornado's request context (which prints as the client's address) replaced?"""
    from tornado.httpserver import _HTTPRequestContext

    class Stream:
        socket = None

    context = _HTTPRequestContext(Stream(), ("10.1.2.3", 5555), "http")
    record = clip_record(_record("Malformed HTTP message from %s: %s", context, "bad"))
    assert "10.1.2.3" not in record.getMessage()
    assert "a client" in record.getMessage()


def test_repeats_are_summarised():
    """Are 240 records of one kind in a minute (404s of made-up paths, tasks that differ
    only in their number) written five times and then summarised in one line, while
    another kind and the informational access log pass as they come?"""
    now = [0.0]
    keep = Keep()
    summary = Summariser(keep, burst=5, window=60, clock=lambda: now[0])
    log = logging.getLogger("test.summary")
    log.propagate, log.handlers = False, [summary]
    log.setLevel(logging.INFO)
    for number in range(240):
        log.warning("%d %s %s %.0fms", 404, "GET", "ErrorHandler", 1.0 + number % 3)
        log.error("Task exception was never retrieved: Task-%d", number)
        log.info("%d %s %s %.0fms", 200, "GET", f"/voila/static/{number}.js", 1.0)
    log.warning("%d %s %s %.0fms", 403, "GET", "refused (host)", 1.0)
    assert len(keep.records) == 5 + 5 + 240 + 1
    now[0] = 61.0
    summary.flush_expired()
    lines = keep.lines()
    assert "repeated 235 times in the last 60 s: 404 GET ErrorHandler 3ms" in lines
    assert any(line.startswith("repeated 235 times") and "Task-239" in line for line in lines)
    log.warning("%d %s %s %.0fms", 404, "GET", "ErrorHandler", 1.0)  # a new window
    assert keep.lines()[-1] == "404 GET ErrorHandler 1ms"
    log.removeHandler(summary)
    summary.close()


def test_clip_escapes_control_characters():
    """Are control and bidi characters shown as escapes, so no line can be forged?"""
    assert clip("a\rb\x1b[31m\u2066c") == "a\\x0db\\x1b[31m\\x2066c"


SCRIPT = textwrap.dedent(
    """
    import logging, os, subprocess, sys, warnings
    from pathlib import Path
    from toolkit.server.logs import configure_server_logging

    folder = Path(sys.argv[1])
    path = configure_server_logging("tester", folder, max_bytes=64 * 1024, backups=2)
    log = logging.getLogger("workshop.tester")
    for number in range(3000):
        log.info("line %d %s", number, "y" * 300)
    print("P" * 3_000_000)
    os.write(2, b"E" * 3_000_000)  # no newline at all
    os.write(2, b"\\n")
    kernel = "import sys; sys.stderr.write('K' * 3_000_000 + chr(10))"
    subprocess.run([sys.executable, "-c", kernel])
    warnings.warn("a warning from the server")
    print("the last line before the crash")
    1 / 0
    """
)


def test_a_server_process_log_is_capped(tmp_path):
    """Does a process set up like a server (``configure_server_logging``) keep its whole
    log, 3,000 records, 3 MB printed, 3 MB written to its stderr without a newline, 3 MB
    from a child process (as a kernel writes), a warning and its final traceback, within
    three files of 64 KiB, every line bounded, with the last lines and the crash in it?"""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert len(done.stdout) + len(done.stderr) == 0, "something bypassed the log"
    files = sorted(tmp_path.glob("tester.log*"))
    assert [f.name for f in files] == ["tester.log", "tester.log.1", "tester.log.2"]
    assert sum(f.stat().st_size for f in files) <= 3 * 64 * 1024 + 4 * LINE_LIMIT
    text = "".join(f.read_text(encoding="utf-8") for f in reversed(files))
    assert all(len(line) <= LINE_LIMIT + 120 for line in text.splitlines())
    # written by three threads (logging, and the two pipes' readers): in any order
    assert "the last line before the crash" in text
    assert "ZeroDivisionError" in files[0].read_text(encoding="utf-8")
    assert "a warning from the server" in text
    for marker in ("PPPP", "EEEE", "KKKK"):
        assert marker in text
    assert text.count("more bytes left out") == 3
