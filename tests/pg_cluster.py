"""A throw-away PostgreSQL + PostGIS cluster for the tests (session-scoped ``pg_dsn`` fixture).

If ``GEOMAP_TEST_PG_DSN`` is set, that database is used (PostGIS is enabled in it if
missing).  Otherwise the fixture runs ``initdb`` into a temporary directory, starts
``postgres`` on a free localhost port (unix socket in the same directory), creates the
database ``geomap_test`` with ``CREATE EXTENSION postgis`` and stops the server at the end.
Run as root, the server runs as the ``postgres`` user (``runuser``), because PostgreSQL
refuses to run as root.

The binaries are looked up in ``$GEOMAP_PG_BINDIR``, then ``/usr/lib/postgresql/<ver>/bin``
(Debian), then ``pg_config --bindir``.  Missing binaries fail the tests with a message
naming the packages to install: these tests are never silently skipped.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV_DSN = "GEOMAP_TEST_PG_DSN"
DB_NAME = "geomap_test"
INSTALL_HINT = (
    "PostgreSQL with PostGIS is needed for the postgis tests: install it "
    "(Debian/Ubuntu: apt-get install -y postgresql postgis) or set "
    f"{ENV_DSN}=postgresql://user@host:port/db pointing at a database with PostGIS."
)


def find_bindir() -> Path:
    """Directory holding ``initdb``/``pg_ctl``/``postgres``; raises RuntimeError if absent."""
    candidates: list[str] = []
    if os.environ.get("GEOMAP_PG_BINDIR"):
        candidates.append(os.environ["GEOMAP_PG_BINDIR"])
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                    key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()],
                    reverse=True)
    candidates += debian
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True,
                                             text=True, check=True).stdout.strip())
    for cand in candidates:
        d = Path(cand)
        if all((d / exe).is_file() for exe in ("initdb", "pg_ctl", "postgres")):
            return d
    raise RuntimeError(f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found. {INSTALL_HINT}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempCluster:
    """An initdb'd cluster in a temporary directory; ``start()``, ``dsn``, ``stop()``."""

    def __init__(self, bindir: Path | None = None):
        self.bindir = bindir or find_bindir()
        # /tmp: reachable by the postgres user and short enough for a unix socket path
        base = "/tmp" if os.access("/tmp", os.W_OK) else None
        self.root = Path(tempfile.mkdtemp(prefix="geomap-pg-", dir=base))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.log = self.root / "postgres.log"
        self.port = 0
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise RuntimeError("running as root but there is no 'postgres' user to run "
                                   f"the server as. {INSTALL_HINT}") from exc
            self.sock.mkdir()
            for p in (self.root, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        else:
            self.sock.mkdir()

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(a) for a in args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.root)
        if res.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}\n"
                               f"{res.stderr}\n{log}")
        return res

    def start(self) -> None:
        try:  # a UTF-8 LC_CTYPE makes lower() fold Cyrillic; plain C only folds ASCII
            self._run(self.bindir / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        except RuntimeError:
            shutil.rmtree(self.data, ignore_errors=True)
            self._run(self.bindir / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--locale=C", "--no-sync")
        last: Exception | None = None
        for _ in range(5):  # the free port may be taken between probing and binding
            self.port = _free_port()
            opts = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                    "-c max_connections=50")
            try:
                self._run(self.bindir / "pg_ctl", "-D", self.data, "-l", self.log, "-w",
                          "-t", "60", "-o", opts, "start")
                break
            except RuntimeError as exc:
                last = exc
                time.sleep(0.2)
        else:
            raise RuntimeError(f"could not start PostgreSQL: {last}")

    def admin_dsn(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def create_postgis_db(admin_dsn: str, name: str = DB_NAME) -> None:
    """``CREATE DATABASE name`` and ``CREATE EXTENSION postgis`` in it."""
    import psycopg

    with psycopg.connect(admin_dsn, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(admin_dsn.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def with_table(dsn: str, table: str) -> str:
    """``dsn`` with geomap's ``table`` option set (keeps any other query options)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(dsn)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "table"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("table", table)])))


def ensure_postgis(dsn: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS postgis")


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """DSN of a database with PostGIS (``GEOMAP_TEST_PG_DSN`` or a temporary cluster)."""
    given = os.environ.get(ENV_DSN)
    if given:
        try:
            ensure_postgis(given)
        except Exception as exc:  # psycopg.Error and connection failures
            pytest.fail(f"{ENV_DSN}={given!r} is not usable: {exc}", pytrace=False)
        yield given
        return
    try:
        cluster = TempCluster()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        try:
            cluster.start()
            create_postgis_db(cluster.admin_dsn())
        except Exception as exc:
            pytest.fail(f"could not set up a temporary PostGIS cluster: {exc}\n{INSTALL_HINT}",
                        pytrace=False)
        yield cluster.admin_dsn(DB_NAME)
    finally:
        cluster.stop()
