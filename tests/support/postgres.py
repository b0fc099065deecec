"""Start a real, throw-away PostgreSQL server for the tests (Debian's or Homebrew's binaries)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support import prerequisites

__all__ = ["PostgresServer", "find_pg_bin"]


def find_pg_bin() -> Path | None:
    """Return the folder with initdb/pg_ctl (WORKSHOP_PG_BIN, tools/prerequisites' choice,
    the newest Debian version, or PATH), or None."""
    return prerequisites.pg_bin()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only.

    As root (PostgreSQL refuses to run as root) the cluster belongs to the ``postgres``
    system user and is run through ``runuser``.
    """

    def __init__(self):
        self.bin = find_pg_bin()
        if self.bin is None:
            raise RuntimeError(prerequisites.missing("PostgreSQL"))
        self.root = Path(tempfile.mkdtemp(prefix="workshop-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "workshop"
        self._as = []
        if os.geteuid() == 0:
            import pwd

            pg = pwd.getpwnam("postgres")
            os.chown(self.root, pg.pw_uid, pg.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args, **kwargs):
        return subprocess.run(
            [*self._as, *map(str, args)], check=True, capture_output=True, text=True, **kwargs
        )

    def start(self) -> PostgresServer:
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-A",
            "trust",
            "-U",
            self.user,
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c max_connections=300 -c shared_buffers=64MB"
        )
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            self.root / "log",
            "start",
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("PostgreSQL did not start; see " + str(self.root / "log"))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
