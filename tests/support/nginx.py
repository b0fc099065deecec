"""Start a real nginx for the tests with the site configuration that ``deploy/`` ships.

The site file ``deploy/nginx/workshop.conf`` is used as it is, with only its addresses
replaced: the upstream ``server`` lines point at the test's workers and ``listen 80`` at a
free loopback port. Around it goes a main configuration of the test's own (pid file, logs
and temporary folders in the test's folder), so the system's nginx service is never used.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

from tests.support.servers import free_port, wait_listening

__all__ = ["SITE", "find_nginx", "render_site", "Nginx"]

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "workshop.conf"
_UPSTREAM = re.compile(r"^(\s*)server 127\.0\.0\.1:81\d\d( [^;]*)?;\n", re.M)

MAIN = """
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile {files};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
    include {mime};
    default_type application/octet-stream;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    include {root}/site.conf;
}}
"""


def find_nginx() -> Path | None:
    """nginx: ``WORKSHOP_NGINX``, else Debian's /usr/sbin/nginx, else ``PATH``; or None."""
    chosen = os.environ.get("WORKSHOP_NGINX")
    if chosen:
        return Path(chosen) if Path(chosen).is_file() else None
    for candidate in ("/usr/sbin/nginx", shutil.which("nginx")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def render_site(workers: list[tuple[str, int]], host: str, port: int) -> str:
    """``deploy/nginx/workshop.conf`` with its upstream servers replaced by ``workers``
    and its ``listen`` lines by ``host:port``."""
    text = SITE.read_text(encoding="utf-8")
    found = list(_UPSTREAM.finditer(text))
    if not found:
        raise AssertionError(f"no upstream server lines in {SITE}")
    indent, options = found[0].group(1), found[0].group(2) or ""
    lines = "".join(f"{indent}server {h}:{p}{options};\n" for h, p in workers)
    text = text[: found[0].start()] + lines + text[found[-1].end() :]
    text = _UPSTREAM.sub("", text)
    text, listens = re.subn(r"^\s*listen 80;\n", f"    listen {host}:{port};\n", text, flags=re.M)
    text = re.sub(r"^\s*listen \[::\]:80;\n", "", text, flags=re.M)
    if listens != 1:
        raise AssertionError(f"expected one 'listen 80;' in {SITE}")
    return text


class Nginx:
    """nginx in front of ``workers`` on a free port of ``host``, from the shipped site."""

    def __init__(
        self,
        root: Path,
        workers: list[tuple[str, int]],
        *,
        host: str = "127.0.0.1",
        connections: int = 1024,
    ):
        binary = find_nginx()
        if binary is None:
            import pytest

            pytest.fail(
                "nginx is not installed (Debian: apt-get install nginx; .ci/run installs "
                "it), or set WORKSHOP_NGINX",
                pytrace=False,
            )
        self.binary = binary
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.host, self.port = host, free_port(host)
        self.workers = workers
        mime = Path("/etc/nginx/mime.types")
        if not mime.is_file():
            mime = self.root / "mime.types"
            mime.write_text(
                "types { text/html html; text/css css; application/javascript js; "
                "image/svg+xml svg; }\n"
            )
        (self.root / "site.conf").write_text(render_site(workers, host, self.port))
        self.conf = self.root / "nginx.conf"
        self.conf.write_text(
            MAIN.format(root=self.root, mime=mime, connections=connections, files=4 * connections)
        )
        self.process = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self, *extra: str) -> list[str]:
        return [
            str(self.binary),
            "-p",
            str(self.root),
            "-e",
            "stderr",
            "-c",
            str(self.conf),
            *extra,
        ]

    def check(self) -> str:
        """``nginx -t`` on the configuration; return its report (raise if it fails)."""
        result = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise AssertionError(f"nginx -t failed:\n{result.stderr}")
        return result.stderr

    def errors(self) -> str:
        log = self.root / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def __enter__(self) -> Nginx:
        self.check()
        self.process = subprocess.Popen(
            self.command(),
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "stderr.log").open("wb"),
            start_new_session=True,
        )
        wait_listening(self.host, self.port, self.process, timeout=30, log=self.root / "stderr.log")
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # fast stop: live streams never end
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
