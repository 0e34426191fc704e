"""The load bench's database and server: a PostgreSQL database filled by `portal
generate-load-data` (kept between runs while the data version is unchanged) and gunicorn serving
it as docs/deployment.md says (3 sync workers), on 127.0.0.1 only.

LOAD_SCALE=small builds a round of 30 statements, 300 organizations and 3,000 signatures (a few
minutes, all told); the default is the issue's full round. BENCH_POSTGRES_URL names the server
(default postgresql://postgres@127.0.0.1:5432); the database is portal_bench or
portal_bench_small — never `test`, which the test suite uses.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    "full": (200, 1511, 50265),
    "small": (30, 300, 3000),
}
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
# What the data depends on: a change in any of these makes a new database (the command's help
# text, portal/loaddata/cli.py, does not).
VERSION_SOURCES = (
    "portal/loaddata/build.py",
    "portal/loaddata/names.py",
    "portal/loaddata/plan.py",
    "portal/loaddata/statements.py",
    "portal/models",
    "migrations/versions",
    "seeds/statements/gcm-2018-round-2.md",
)


class Unavailable(Exception):
    """The bench cannot run here (no PostgreSQL); the message says why."""


@dataclass(frozen=True)
class Scale:
    name: str
    statements: int
    organizations: int
    signatures: int

    @classmethod
    def from_environment(cls) -> Scale:
        name = os.environ.get("LOAD_SCALE", "full")
        if name not in SCALES:
            raise Unavailable(f"LOAD_SCALE must be one of {', '.join(SCALES)}, not {name!r}")
        return cls(name, *SCALES[name])

    @property
    def database(self) -> str:
        return "portal_bench" if self.name == "full" else f"portal_bench_{self.name}"

    @property
    def url(self) -> str:
        return f"{SERVER}/{self.database}"

    @property
    def artifacts(self) -> Path:
        return ROOT / "instance" / "bench" / self.database / "artifacts"

    def version(self) -> str:
        digest = hashlib.sha256(repr(self).encode())
        for source in VERSION_SOURCES:
            root = ROOT / source
            for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
                if path.is_file() and path.suffix in (".py", ".md", ".yaml"):
                    digest.update(path.relative_to(ROOT).as_posix().encode())
                    digest.update(path.read_bytes())
        return "load-data " + digest.hexdigest()[:16]


def _engine(url: str):
    from sqlalchemy import create_engine

    from portal.config import _database_url

    return create_engine(_database_url(url), isolation_level="AUTOCOMMIT")


def _scalar(url: str, sql: str, **params):
    from sqlalchemy import text

    engine = _engine(url)
    try:
        with engine.connect() as connection:
            result = connection.execute(text(sql), params)
            return result.scalar() if result.returns_rows else None
    finally:
        engine.dispose()


def _portal(env: dict, *args: str, quiet: bool = False) -> None:
    command = [sys.executable, "-c", "from portal.cli import main; main()", *args]
    silent = subprocess.DEVNULL if quiet else None
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=silent, stderr=silent)


def environment(scale: Scale) -> dict:
    """The server's and the CLI's environment: production settings but for plain HTTP on the
    loopback address and no rate limit (eight clients from one address would hit it)."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": scale.url,
        "ARTIFACT_DIR": str(scale.artifacts),
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
        "FLASK_DEBUG": "0",
        "REDIS_URL": "",
    }


def server_environment(scale: Scale) -> dict:
    """The server's: kept page pieces per worker process, as without Redis;
    BENCH_LOAD_REDIS_URL shares them (and the rate-limit storage and the job queue) through a
    Redis, as docs/deployment.md advises."""
    return {**environment(scale), "REDIS_URL": os.environ.get("BENCH_LOAD_REDIS_URL", "")}


def prepare_database(scale: Scale, say) -> str:
    """The database at `scale`, built unless an unchanged one exists; returns 'cached' or the
    build time."""
    admin = f"{SERVER}/postgres"
    try:
        exists = _scalar(admin, "SELECT 1 FROM pg_database WHERE datname = :d", d=scale.database)
    except Exception as error:  # noqa: BLE001  (any driver error means: no server to use)
        raise Unavailable(f"PostgreSQL not reachable at {SERVER}: {error}") from None
    version = scale.version()
    if exists and scale.artifacts.is_dir():
        comment = _scalar(
            admin,
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :d",
            d=scale.database,
        )
        if comment == version:
            return "cached"
    started = time.perf_counter()
    say(f"building {scale.database} ({scale.statements} statements, {scale.organizations:,} "
        f"organizations, {scale.signatures:,} signatures); kept for later runs")  # fmt: skip
    _scalar(admin, f'DROP DATABASE IF EXISTS "{scale.database}" WITH (FORCE)')
    _scalar(admin, f'CREATE DATABASE "{scale.database}"')
    if scale.artifacts.exists():
        subprocess.run(["rm", "-rf", str(scale.artifacts)], check=True)
    env = environment(scale)
    _portal(env, "db", "upgrade", quiet=True)
    counts = ("--statements", scale.statements, "--organizations", scale.organizations,
              "--signatures", scale.signatures)  # fmt: skip
    _portal(env, "generate-load-data", *map(str, counts))
    _scalar(scale.url, "ANALYZE")
    _scalar(admin, f"COMMENT ON DATABASE \"{scale.database}\" IS '{version}'")
    return f"built in {time.perf_counter() - started:.0f} s"


def build_missing_files(scale: Scale) -> str:
    """The approved statements' official files, as `portal build-exports` leaves them after a
    release that changes the PDF code (their keys include it): without Redis a missing PDF
    answers 202 until then, and the bench measures cached PDFs."""
    started = time.perf_counter()
    _portal(environment(scale), "build-exports", quiet=True)
    return (
        f"official files checked and built where missing in {time.perf_counter() - started:.0f} s"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with 3 sync workers on 127.0.0.1:<free port>, stopped on exit."""

    def __init__(self, scale: Scale, workers: int = 3):
        self.port = free_port()
        self.log = ROOT / "instance" / "bench" / "gunicorn.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "gunicorn", "--workers", str(workers),
                   "--bind", f"127.0.0.1:{self.port}", "wsgi:app"]  # fmt: skip
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=server_environment(scale), stdout=log, stderr=log
            )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Unavailable(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise Unavailable(f"gunicorn did not answer /healthz within {timeout:.0f} s")

    def __enter__(self) -> Server:
        self.wait()
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
