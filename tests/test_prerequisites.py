"""The servers `make test` installs work the way the tests use them: nginx on loopback."""

import subprocess
import urllib.request

import pytest

from tests.support import prerequisites
from tests.support.servers import free_port, wait_listening

CONFIG = """
daemon off;
master_process on;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{ default_type text/plain; return 200 "nginx of the tests\\n"; }}
    }}
}}
"""


@pytest.mark.server
def test_nginx_serves_on_loopback_with_its_own_configuration(tmp_path):
    """Does the installed nginx start without its system service, from a configuration of
    the test's own on a loopback port, answer there, and stop with nothing left behind?"""
    binary = prerequisites.require("nginx")
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(CONFIG.format(root=tmp_path, port=port))
    process = subprocess.Popen(
        [str(binary), "-p", str(tmp_path), "-e", "stderr", "-c", str(conf)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_listening("127.0.0.1", port, process, timeout=30)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            assert response.read() == b"nginx of the tests\n"
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    assert not (tmp_path / "nginx.pid").exists()
