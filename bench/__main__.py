"""``python -m bench run [--quick|--full] [--only NAME ...]`` and ``python -m bench table``.

Each benchmark writes ``bench/results/<name>.json`` (figures, command, machine, commit);
``table`` rewrites the figures table in ``bench/README.md`` from those files.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from bench.common import load_all, machine, save

BENCHMARKS = ("store", "kernel", "page", "map", "wave", "soak", "workers")
QUICK = ("store", "kernel", "page", "map", "wave")  # the soak takes 30 minutes: full only
README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def _run(args) -> int:
    mode = "quick" if args.quick else "full"
    names = args.only or (QUICK if args.quick else BENCHMARKS)
    print(f"benchmarks ({mode}) on {machine()}", flush=True)
    failed = []
    for name in names:
        module = importlib.import_module(f"bench.b_{name}")
        began = time.perf_counter()
        print(f"- {name}", flush=True)
        try:
            figures = module.run(args.quick)
        except Exception as exc:  # report and go on with the other benchmarks
            print(f"  {name} failed: {type(exc).__name__}: {exc}", flush=True)
            failed.append(name)
            continue
        figures["bench_seconds"] = round(time.perf_counter() - began, 1)
        command = (
            f"make bench{'-quick' if args.quick else ''}  (python -m bench run --{mode}"
            f" --only {name})"
        )
        save(name, command, figures, mode)
    _table()
    return 1 if failed else 0


def _fmt(value, digits=2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _rows(results: dict) -> list[str]:
    rows = []
    page = results.get("page", {}).get("figures")
    if page:
        for mode in ("cold", "preheated"):
            app, base = page[f"app_{mode}"], page[f"baseline_{mode}"]
            rows.append(
                f"| Time to interactive, {mode} (first visit) | "
                f"{_fmt(app['tti_s']['p50'])} s | {_fmt(base['tti_s']['p50'])} s | "
                f"{_fmt(page[f'ratio_tti_{mode}'])} |"
            )
        app, base = page["app_preheated"], page["baseline_preheated"]
        rows.append(
            f"| Bytes, first visit | {app['first_bytes'] / 1e6:.2f} MB "
            f"({app['first_requests']} req.) | {base['first_bytes'] / 1e6:.2f} MB "
            f"({base['first_requests']} req.) | {_fmt(page['ratio_first_bytes'])} |"
        )
        rows.append(
            f"| Bytes, repeat visit | {app['repeat_bytes'] / 1e3:.0f} KB | "
            f"{base['repeat_bytes'] / 1e3:.0f} KB | "
            f"{_fmt(app['repeat_bytes'] / max(base['repeat_bytes'], 1))} |"
        )
        if "app_preheated_repeat_tti_s" in page:
            rows.append(
                f"| Time to interactive, preheated, repeat visit | "
                f"{_fmt(page['app_preheated_repeat_tti_s'])} s | "
                f"{_fmt(page['baseline_preheated_repeat_tti_s'])} s | - |"
            )
    wave = results.get("wave", {}).get("figures", {})
    for key, w in sorted(wave.items(), key=lambda kv: str(kv[0])):
        if not isinstance(w, dict) or "tti_s" not in w:
            continue
        tti = w["tti_s"]
        rows.append(
            f"| Wave {key.replace('_', ' ')}: TTI p50/p95/max | "
            f"{_fmt(tti.get('p50'))}/{_fmt(tti.get('p95'))}/{_fmt(tti.get('max'))} s; "
            f"{w['interactive']}/{w['participants']} interactive, {w['errors']} errors, "
            f"answers {w['answers_acknowledged']}/{w['answers_sent']} acknowledged, "
            f"{w['participants_with_lost_answers']} lost; CPU "
            f"{w['server_cpu_seconds']} s, peak {w['peak_memory_mb']} MB | | |"
        )
    kernel = results.get("kernel", {}).get("figures")
    if kernel:
        p, b = kernel["participant"], kernel["baseline"]
        rows.append(
            f"| Kernel USS / RSS | {p['uss_mb']} / {p['rss_mb']} MB | {b['uss_mb']} / "
            f"{b['rss_mb']} MB | {_fmt(kernel['ratio_uss'])} |"
        )
        rows.append(
            f"| Kernel start: wall / CPU | {p['start_seconds']} / {p['cpu_seconds']} s | "
            f"{b['start_seconds']} / {b['cpu_seconds']} s | - |"
        )
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
    soak = results.get("soak", {}).get("figures")
    if soak:
        rows.append(
            f"| Soak: {soak['participants']} participants, {soak['minutes']} min | "
            f"server memory {soak['server_memory_start_mb']} -> "
            f"{soak['server_memory_end_mb']} MB ({soak['memory_change_pct']} %), "
            f"{soak['errors']} errors, {soak['lost_answers']} lost | | |"
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
    table = "\n".join(
        [
            START,
            f"Latest figures ({when}; {modes}). Machine: {described}.",
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
    sub.add_parser("table", help="rewrite the table in bench/README.md")
    args = parser.parse_args(argv)
    if args.command == "table":
        _table()
        return 0
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
