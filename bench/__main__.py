"""``python -m bench run [--quick|--full] [--only NAME ...]`` and ``python -m bench table``.

Each benchmark writes ``bench/results/<name>.json`` (figures, command, machine, commit);
``table`` rewrites the figures table in ``bench/README.md`` from those files.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

from bench.common import load_all, machine, save, settle

BENCHMARKS = ("store", "parts", "page", "map", "wave", "soak", "workers")
# the soak (30 minutes) and the workers (45 minutes) run in full runs only
QUICK = ("store", "parts", "page", "map", "wave")
README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def _run(args) -> int:
    mode = "quick" if args.quick else "full"
    names = args.only or (QUICK if args.quick else BENCHMARKS)
    print(f"benchmarks ({mode}) on {machine()}", flush=True)
    failed = []
    for name in names:
        module = importlib.import_module(f"bench.b_{name}")
        load = settle(args.settle) if args.settle else os.getloadavg()[0]
        began = time.perf_counter()
        print(f"- {name} (load average {load:.2f})", flush=True)
        try:
            figures = module.run(args.quick)
        except Exception as exc:  # report and go on with the other benchmarks
            print(f"  {name} failed: {type(exc).__name__}: {exc}", flush=True)
            failed.append(name)
            continue
        figures["bench_seconds"] = round(time.perf_counter() - began, 1)
        command = f"python -m bench run --{mode} --only {name}" + (
            f" --settle {args.settle}" if args.settle else ""
        )
        save(name, command, figures, mode, load=round(load, 2))
    _table()
    return 1 if failed else 0


def _fmt(value, digits=2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _within(value, limit) -> bool:
    return value is not None and value <= limit


def _kb(n) -> str:
    return f"{n / 1000:.1f} KB"


def _ms(seconds) -> str:
    return "-" if seconds is None else f"{1000 * seconds:.0f} ms"


def _budget_rows(results: dict) -> list[str]:
    """The participant side's budgets: budget | measured | same-run baseline | met?"""
    rows = []
    page = results.get("page", {}).get("figures")
    if page:
        app, base = page["app_join_page"], page["baseline_voila_preheated"]
        tti, base_tti = app["first_tti_s"]["p50"], base["first_tti_s"]["p50"]
        rows.append(
            f"| Join page: time to interactive p50 <= 0.25 s and <= 1/4 of plain Voila "
            f"preheated | {_ms(tti)} (p95 {_ms(app['first_tti_s']['p95'])}; repeat visit "
            f"{_ms(app['repeat_tti_s']['p50'])}) | plain Voila {_ms(base_tti)} (p95 "
            f"{_ms(base['first_tti_s']['p95'])}); ratio {page['ratio_tti_p50']} | "
            f"{_yes(tti <= 0.25 and tti <= base_tti / 4)} |"
        )
        rows.append(
            f"| Join page: first visit <= 60 KB on the wire | {_kb(app['first_bytes'])} in "
            f"{app['first_requests']} requests | {_kb(base['first_bytes'])} in "
            f"{base['first_requests']} requests | {_yes(app['first_bytes'] <= 60_000)} |"
        )
        rows.append(
            f"| Join page: repeat visit <= 15 KB | {_kb(app['repeat_bytes'])} in "
            f"{app['repeat_requests']} requests | {_kb(base['repeat_bytes'])} in "
            f"{base['repeat_requests']} requests | {_yes(app['repeat_bytes'] <= 15_000)} |"
        )
    wave = results.get("wave", {}).get("figures", {})
    floor = results.get("wave", {}).get("figures", {}).get("floor", {})
    big = wave.get("wave_1000")
    if big:
        fb = floor.get("wave_1000", {})
        n = big["participants"]

        def base(key, fmt=lambda v: v):
            value = fb
            for part in key.split("."):
                value = value.get(part, {}) if isinstance(value, dict) else {}
            return f"floor {fmt(value)}" if value not in ({}, None) else "-"

        live = big["live"]
        live_ok = _within(live["to_every_page_s"].get("p95"), 1.0)
        live_ok = live_ok and not live["pairs_never_reached"] and not big["errors"]
        rows += [
            f"| Wave {n} in {big['spread_seconds']:.0f} s: all interactive | "
            f"{big['interactive']}/{n} | {base('interactive')} | "
            f"{_yes(big['interactive'] == n)} |",
            f"| Wave {n}: time to interactive p95 <= 0.5 s | {_ms(big['tti_s'].get('p95'))} "
            f"(p50 {_ms(big['tti_s'].get('p50'))}) | {base('tti_s.p95', _ms)} | "
            f"{_yes(_within(big['tti_s'].get('p95'), 0.5))} |",
            f"| Wave {n}: answer acknowledged p95 <= 50 ms | {_ms(big['ack_s'].get('p95'))} "
            f"(p50 {_ms(big['ack_s'].get('p50'))}) | {base('ack_s.p95', _ms)} | "
            f"{_yes(_within(big['ack_s'].get('p95'), 0.05))} |",
            f"| Wave {n}: 0 errors, 0 answers lost | {big['errors']} errors, "
            f"{big['answers_lost']} lost ({big['answers_acknowledged']}/"
            f"{big['answers_sent']} acknowledged, {big['answer_rows_stored']} rows) | - | "
            f"{_yes(big['errors'] == 0 and big['answers_lost'] == 0)} |",
            f"| Wave {n}: server memory at the end <= 400 MB RSS | "
            f"{big['server_rss_mb_end']:.0f} MB (peak {big['server_rss_mb_peak']:.0f}, idle "
            f"{big['server_rss_mb_start']:.0f}) | {base('server_rss_mb_end')} MB | "
            f"{_yes(big['server_rss_mb_end'] <= 400)} |",
            f"| Wave {n}: a change reaches every connected page p95 <= 1 s | "
            f"{_ms(big['live']['to_every_page_s'].get('p95'))} (each page: p95 "
            f"{_ms(big['live']['to_each_s'].get('p95'))}; "
            f"{big['live']['pairs_never_reached']} never"
            f"{'; not met while answers time out' if big['errors'] else ''}) | "
            f"{base('live.to_every_page_s.p95', _ms)} | "
            f"{_yes(live_ok)} |",
            f"| Wave {n}: server CPU (not a budget) | {big['server_cpu_seconds']} s | "
            f"{base('server_cpu_seconds')} s | - |",
        ]
    small, old = wave.get("wave_150"), wave.get("old_run")
    if small and old:
        fs = floor.get("wave_150", {})
        rows += [
            f"| Wave 150 in 30 s: server CPU <= 1/10 of the old run (3.8 s) | "
            f"{small['server_cpu_seconds']} s ({small['errors']} errors, "
            f"{small['answers_lost']} lost; ack p95 {_ms(small['ack_s'].get('p95'))}) | old "
            f"run {old['server_cpu_seconds']} s (commit {old['commit']}, not this run); "
            f"floor {fs.get('server_cpu_seconds', '-')} s | "
            f"{_yes(small['server_cpu_seconds'] <= old['server_cpu_seconds'] / 10)} |",
        ]
        again, second = wave.get("old_run_again", {}), wave.get("wave_150_second", {})
        if again.get("server_cpu_seconds") and second:
            ratio = wave["ratio_cpu_150_vs_old_same_run"]
            rows.append(
                f"| Wave 150: server CPU <= 1/10 of the old app measured in this run | "
                f"{small['server_cpu_seconds']} and {second['server_cpu_seconds']} s, "
                f"ratio {ratio:.3f} | old app {again['server_cpu_seconds']} s, peak "
                f"{again['peak_memory_mb']} MB, between the two (commit {again['commit']}) "
                f"| {_yes(ratio <= 0.1)} |"
            )
        rows += [
            f"| Wave 150: server memory <= 1/20 of the old run (635 MB) | peak "
            f"{small['server_rss_mb_peak']:.0f} MB | old run {old['peak_memory_mb']} MB | "
            f"{_yes(small['server_rss_mb_peak'] <= old['peak_memory_mb'] / 20)} |",
        ]
    soak = results.get("soak", {}).get("figures")
    if soak:
        flat = soak["minutes"] >= 30 and abs(soak["memory_change_pct"]) <= 10
        clean = not soak["errors"] and not soak["answers_lost"]
        rows.append(
            f"| Soak: 100 participants returning for 30 min, memory flat within 10 %, 0 "
            f"errors, 0 lost | {soak['minutes']:.0f} min, {soak['visits']} visits: "
            f"{soak['server_memory_start_mb']:.0f} -> {soak['server_memory_end_mb']:.0f} MB "
            f"({soak['memory_change_pct']:+.1f} %, peak {soak['server_memory_peak_mb']:.0f}),"
            f" {soak['errors']} errors, {soak['answers_lost']} lost | its own level at "
            f"{soak['server_memory_settled_at_s'] / 60:.0f} min | "
            f"{_yes(flat and clean)} |"
        )
    return rows


def _rows(results: dict) -> list[str]:
    rows = []
    maps = results.get("map", {}).get("figures", {})
    for n in (100, 1000, 10000):
        entry = maps.get(f"python_{n}")
        if entry:
            py = entry["python"]
            base = entry.get("baseline", {})
            shown = (
                f"{base['total_s']} s (networkx + pyvis)"
                if "metrics_s" in base
                else f"render {base['render_s']} s (pyvis)"
                if base
                else "not run"
            )
            ratio = entry.get("ratio_vs_baseline", entry.get("ratio_render_vs_pyvis"))
            rows.append(
                f"| Map in Python, {n} organisations (load / metrics / HTML) | "
                f"{py['total_s']} s ({py['load_s']} / {py['metrics_s']} / "
                f"{py['render_s']}) | {shown} | {_fmt(ratio)} |"
            )
    for n in (300, 5000):
        entry = maps.get(f"browser_{n}")
        if entry:
            rows.append(
                f"| Map in the browser, {n} organisations: drawn / click to profile | "
                f"{_fmt(entry['drawn_s']['p50'])} s / "
                f"{_fmt(entry['click_to_profile_s']['p50'] * 1000, 0)} ms | | |"
            )
    parts = results.get("parts", {}).get("figures", {})
    for key in ("room_150", "room_1000"):
        part = parts.get(key)
        if not part:
            continue
        answer = part["per_answer_ms"]
        live = part["per_live_round_ms"]
        base = part["baseline_ms"]
        rows.append(
            f"| CPU per answer's store calls, {part['participants']} in the room "
            f"(session, own answers, write, counters) | "
            f"{answer['Store.session_by_id']} + {answer['Store.answers (own)']} + "
            f"{answer['Store.save_answer']} + {answer['Store.versions']} ms | "
            f"{base['sqlite3: upsert one answer (one transaction)']} ms (bare upsert) | - |"
        )
        rows.append(
            f"| CPU per live round's results, {part['participants']} in the room "
            f"({part['answer_rows']} answers: read / aggregate / radar) | "
            f"{live['Results._compute (all of it)']} ms ("
            f"{live['  Store.answers (whole exercise)']} / {live['  group_results']} / "
            f"{live['  group layer HTML (radar)']}) | "
            f"{base['sqlite3: read the exercise' + chr(39) + 's rows']} ms (bare read) | - |"
        )
    store = results.get("store", {}).get("figures", {})
    rounds = {k: v for k, v in store.items() if isinstance(v, dict)}
    for key in sorted(rounds, key=lambda k: (k.split("_")[0], rounds[k].get("writers", 0), k)):
        s = store[key]
        if not isinstance(s, dict) or "latency_ms" not in s:
            continue
        backend = "SQLite" if key.startswith("sqlite") else "PostgreSQL"
        load = s.get("load", "saturated")
        rows.append(
            f"| Store {backend}, {s['writers']} writers, {load}: "
            f"answers/s, p99 | {s['answers_per_second']}/s, {s['latency_ms']['p99']} ms "
            f"({s['stored']}/{s['answers']} stored) | {s['baseline_insert_per_second']}/s, "
            f"{s['baseline_p99_ms']} ms (bare INSERT) | "
            f"{_fmt(s['ratio_p99_vs_baseline'])} |"
        )
    return rows


def _table() -> None:
    results = load_all()
    if not results:
        return
    machines = {tuple(sorted(r["machine"].items())) for r in results.values()}
    described = "; ".join(
        f"{dict(m)['cores']} cores, {dict(m)['memory_gb']} GB, "
        f"{dict(m)['cpu']}, Python {dict(m)['python']}"
        for m in machines
    )
    when = max(r["measured_at"] for r in results.values())
    modes = ", ".join(f"{name}: {r['mode']}" for name, r in results.items())
    commands = "; ".join(f"{name}: `{r['command']}`" for name, r in results.items())
    loads = "; ".join(
        f"{name}: {r['load_average']}" for name, r in results.items() if r.get("load_average")
    )
    table = "\n".join(
        [
            START,
            f"Latest figures ({when}; {modes}). Machine: {described}. Load average (1 min) "
            f"at the start of each: {loads or '-'}. Commands: {commands}.",
            "",
            "| budget | measured | same-run baseline | met? |",
            "|---|---|---|---|",
            *_budget_rows(results),
            "",
            "| figure | this toolkit | baseline (same run) | ratio |",
            "|---|---|---|---|",
            *_rows(results),
            END,
        ]
    )
    text = README.read_text(encoding="utf-8")
    if START in text and END in text:
        text = text[: text.index(START)] + table + text[text.index(END) + len(END) :]
    else:
        text += "\n" + table + "\n"
    README.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    speed = run.add_mutually_exclusive_group()
    speed.add_argument("--quick", action="store_true", help="under 5 minutes")
    speed.add_argument("--full", action="store_true")
    run.add_argument("--only", nargs="*", choices=BENCHMARKS)
    run.add_argument(
        "--settle",
        type=float,
        metavar="LOAD",
        help="before each benchmark, wait (up to 15 minutes) for the 1-minute load average "
        "to fall below LOAD: the machine may be shared",
    )
    sub.add_parser("table", help="rewrite the table in bench/README.md")
    args = parser.parse_args(argv)
    if args.command == "table":
        _table()
        return 0
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
