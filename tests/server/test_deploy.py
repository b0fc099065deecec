"""deploy/ hangs together: the compose file, the systemd unit and the nginx site name the
same workers, the same command and the same settings (nginx itself is tested, with this
very site, in tests/server/test_workers.py; Docker is not needed for any test)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def upstream_ports() -> list[int]:
    site = (DEPLOY / "nginx" / "workshop.conf").read_text()
    return [int(p) for p in re.findall(r"^\s*server 127\.0\.0\.1:(\d+)", site, re.M)]


def test_compose_runs_the_workers_nginx_expects_on_postgresql():
    """Does docker-compose.yml mount the shipped nginx site, run one worker on each of its
    upstream ports inside nginx's network namespace, and give them only WORKSHOP_DB?"""
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "./nginx/workshop.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    workers = {k: v for k, v in services.items() if k.startswith("worker")}
    ports = sorted(int(w["command"][w["command"].index("--port") + 1]) for w in workers.values())
    assert ports == upstream_ports() == [8101, 8102, 8103]
    for worker in workers.values():
        assert worker["network_mode"] == "service:nginx"
        assert list(worker["environment"]) == ["WORKSHOP_DB"]
        assert worker["environment"]["WORKSHOP_DB"].startswith("postgresql://")
        assert worker["restart"] == "always"
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert '"--behind-proxy"' in dockerfile and '"127.0.0.1"' in dockerfile


def test_systemd_unit_runs_one_worker_per_port_behind_the_proxy():
    """Does the unit start ``python -m toolkit.web`` on its instance's port behind the proxy,
    restart it when it dies, read WORKSHOP_DB from the environment file, and does that file
    set every variable the unit uses?"""
    unit = (DEPLOY / "systemd" / "workshop-worker@.service").read_text()
    start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert "-m toolkit.web" in start and "--port %i" in start and "--behind-proxy" in start
    assert "Restart=always" in unit and "EnvironmentFile=/etc/workshop/workshop.env" in unit
    env = (DEPLOY / "workshop.env.example").read_text()
    names = set(re.findall(r"^([A-Z_]+)=", env, re.M))
    assert {"WORKSHOP_DB", *re.findall(r"\$\{([A-Z_]+)\}", start)} <= names
