"""Where a profiled server's time went: ``python -m bench.profile FILE [--top N]``.

``FILE`` holds collapsed stacks as ``py-spy record --format raw`` writes them (one line
per distinct stack: frames separated by ``;``, then the sample count). Printed: samples
per thread, then the inclusive share of the functions that matter for a participant
server (each stack counted once per function, however often it recurses), then the
functions with the most samples of their own.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

__all__ = ["load", "inclusive", "own", "main", "PARTS"]

_FRAME = re.compile(r"^(?P<name>[^ ]+) \((?P<file>[^:]+):(?P<line>\d+)\)$")

# Labels for the parts of a request, by the function names (file:function) in a stack.
PARTS = {
    "answer POST (AnswerPage.post)": "toolkit/web/answering.py:AnswerPage.post",
    "  save: checks and store writes": "toolkit/web/answering.py:AnswerPage.save",
    "  acknowledge: own layer and JSON": "toolkit/web/answering.py:AnswerPage.acknowledge",
    "exercise page (render_exercise)": "toolkit/web/pages.py:ExercisePage.render_exercise",
    "join (JoinPage.post)": "toolkit/web/pages.py:JoinPage.post",
    "page templates (Base.page)": "toolkit/web/base.py:Base.page",
    "results computed (Results._compute)": "toolkit/web/render.py:Results._compute",
    "  aggregation (group_results)": "toolkit/results/aggregate.py:group_results",
    "  radar drawn (radar_html)": "toolkit/results/views.py:radar_html",
    "own layer (own_blocks)": "toolkit/web/render.py:own_blocks",
    "hub poll (Hub.poll)": "toolkit/web/live.py:Hub.poll",
    "  fan-out writes (Outbox.send)": "toolkit/web/live.py:Outbox.send",
    "  snapshot of a new stream (Hub.snapshot)": "toolkit/web/live.py:Hub.snapshot",
    "store: answers read (Store.answers)": "toolkit/store/store.py:Store.answers",
    "store: change counters (Store.versions)": "toolkit/store/store.py:Store.versions",
    "store: session read (Store.session_by_id)": "toolkit/store/store.py:Store.session_by_id",
    "store: answer written (Store.save_answer)": "toolkit/store/store.py:Store.save_answer",
    "store: join (Store.join)": "toolkit/store/store.py:Store.join",
    "store: screen remembered (Store.set_screen)": "toolkit/store/store.py:Store.set_screen",
    "SQLAlchemy statement compile": "sqlalchemy/sql/compiler.py:SQLCompiler.__init__",
    "Jinja2 rendering (Template.render)": "jinja2/environment.py:Template.render",
    "gzip of responses": "tornado/web.py:GZipContentEncoding.transform_chunk",
    "static files (StaticFileHandler.get)": "tornado/web.py:StaticFileHandler.get",
    "access log (_log_request)": "toolkit/web/app.py:_log_request",
}


def load(path: Path) -> list[tuple[str, list[tuple[str, str, int]], int]]:
    """(thread, frames as (file, function, line), samples) per line of ``path``."""
    stacks = []
    for line in path.read_text(errors="replace").splitlines():
        body, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        parts = body.split(";")
        thread, frames = parts[0], []
        for part in parts[1:]:
            found = _FRAME.match(part)
            if found:
                frames.append((found["file"], found["name"], int(found["line"])))
        stacks.append((thread, frames, int(count)))
    return stacks


def _key(file: str, name: str) -> str:
    return f"{file}:{name}"


def inclusive(stacks) -> Counter:
    """Samples in which ``file:function`` is on the stack."""
    total = Counter()
    for _thread, frames, count in stacks:
        for key in {_key(f, n) for f, n, _ in frames}:
            total[key] += count
    return total


def own(stacks) -> Counter:
    """Samples in which ``file:function:line`` is the innermost frame."""
    total = Counter()
    for _thread, frames, count in stacks:
        if frames:
            f, n, line = frames[-1]
            total[f"{f}:{n}:{line}"] += count
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--rate", type=float, default=100.0, help="samples per second")
    args = parser.parse_args(argv)
    stacks = load(args.file)
    samples = sum(c for _, _, c in stacks)
    threads = Counter()
    for thread, _frames, count in stacks:
        threads[re.sub(r"\s*\(\d+\)", "", thread).split(":")[-1].strip() or thread] += count
    print(f"{samples} samples ({samples / args.rate:.1f} s of CPU at {args.rate:.0f}/s)")
    for thread, count in threads.most_common():
        print(f"  {count / samples:6.1%}  {thread}")
    found = inclusive(stacks)
    print("\ninclusive share of the server's samples:")
    for label, key in PARTS.items():
        count = found.get(key, 0)
        print(f"  {count / samples:6.1%}  {count / args.rate:6.2f} s  {label}")
    print(f"\nmost samples of their own (top {args.top}):")
    for key, count in own(stacks).most_common(args.top):
        print(f"  {count / samples:6.1%}  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
