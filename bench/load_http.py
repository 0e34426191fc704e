"""HTTP clients for the load bench: sign in through the real form (CSRF token and all), then
many GETs from 8 threads, each on its own connection to 127.0.0.1 (gunicorn's sync workers close
the connection after every response, as they would behind a proxy)."""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|name="csrf-token" content="([^"]+)"')
HOST = "127.0.0.1"  # the bench never talks to anything else


def _cookies(response, jar: dict) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def _cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def request(port: int, method: str, path: str, cookie: str = "", body: bytes | None = None,
            headers: dict | None = None):  # fmt: skip
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        sent = {"Cookie": cookie} if cookie else {}
        connection.request(method, path, body=body, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        return response, data
    finally:
        connection.close()


def sign_in(port: int, email: str, password: str) -> str:
    """The session cookie of `email`, signed in as a person would: the form, then its POST."""
    jar: dict = {}
    response, page = request(port, "GET", "/login")
    _cookies(response, jar)
    match = TOKEN_RE.search(page.decode())
    if match is None:
        raise RuntimeError("the login page has no CSRF token")
    form = urlencode(
        {"email": email, "password": password, "csrf_token": match.group(1) or match.group(2)}
    )
    response, _ = request(
        port, "POST", "/login", _cookie_header(jar), form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded",
         "Referer": f"http://{HOST}:{port}/login"},
    )  # fmt: skip
    _cookies(response, jar)
    if response.status != 302:
        raise RuntimeError(f"signing in as {email} answered {response.status}")
    return _cookie_header(jar)


@dataclass
class Block:
    """One burst of requests: how long each took, and how many were answered within its window."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    answered: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


def burst(port: int, path: str, cookie: str, seconds: float, clients: int = 8) -> Block:
    """`clients` threads GET `path` again and again for `seconds`. The throughput counts the
    responses completed within that window, so that a slow page and a fast one are measured
    alike at a steady state: a burst of a fixed number of requests would end on a tail of a few
    clients finishing alone, which weighs more on a page taking 30 ms than on one taking 3. A
    request still running at the end of the window is awaited; its latency is kept."""
    block = Block(seconds=seconds)
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def client() -> None:
        while time.perf_counter() < deadline:
            begun = time.perf_counter()
            try:
                response, _ = request(port, "GET", path, cookie)
                status = response.status
            except OSError as error:
                status = str(error)
            ended = time.perf_counter()
            with lock:
                if status != 200:
                    block.failures.append(f"{path}: {status}")
                    continue
                block.latencies.append(ended - begun)
                block.answered += ended <= deadline

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return block


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
