"""The production server for the bench: its environment, its database, gunicorn, sign-in.

Nothing here imports Django at module level: bench.run and bench.load use it without one.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import os
import re
import resource
import secrets
import signal
import socket
import struct
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / ".data"
HOST = "127.0.0.1"
SETTINGS = "bench.settings"


# --- environment --------------------------------------------------------------------------


def new_secret_key() -> str:
    """A throwaway key: the bench database holds nothing but invented people."""
    return "bench-" + secrets.token_urlsafe(40)


def environment(database_url: str, secret_key: str) -> dict[str, str]:
    """The production settings (DEBUG off), minus the HTTPS redirect and secure cookies that
    plain HTTP on 127.0.0.1 cannot use, and quiet logs."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "DATABASE_URL": database_url,
            "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING"),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def configure_django(database_url: str, secret_key: str | None = None) -> None:
    """Set up Django in this process against `database_url`, with the server's settings
    (plus `testserver`, for counting queries with the test client)."""
    os.environ.update(environment(database_url, secret_key or new_secret_key()))
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    import django

    django.setup()


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- databases ----------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def vendor(database_url: str) -> str:
    scheme = urlsplit(database_url).scheme
    return "postgresql" if scheme.startswith("postgres") else "sqlite"


def reset_database(database_url: str) -> None:
    """An empty database: the SQLite file removed, or the PostgreSQL database dropped and
    made again. Only a PostgreSQL database with "bench" in its name is ever dropped."""
    parts = urlsplit(database_url)
    if vendor(database_url) == "sqlite":
        path = Path(unquote(parts.path))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to drop PostgreSQL database {name!r}: the bench drops and remakes its "
            "database, so give it one with 'bench' in the name (e.g. .../bench)."
        )
    import psycopg
    from psycopg import sql

    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def collectstatic(env: dict[str, str]) -> None:
    """WhiteNoise serves the static files with DEBUG off, from the manifest collectstatic
    writes; without it every page that names a static file fails."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


# --- gunicorn -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving alongside.wsgi, as a deployment would, on a free local port."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int,
        threads: int = 1,
        log_path: Path | None = None,
    ) -> None:
        self.env = env
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.log_path = log_path or DATA_DIR / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "alongside.wsgi:application", "--workers", str(self.workers)]
        if self.threads > 1:
            command += ["--threads", str(self.threads)]
        return command + ["--bind", f"{HOST}:{self.port}", "--log-level", "warning"]

    def start(self, timeout: float = 60.0) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}:\n{self._log_tail()}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz", {})
                if status == 200 and len(self.worker_pids()) >= self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f}s")

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def worker_memory_mb(self, field: str = "VmHWM") -> list[float]:
        """Each worker's peak (VmHWM) or current (VmRSS) resident memory, read before it stops.
        A worker that has checked a passphrase peaks about 100 MB higher: Argon2 as Django
        configures it uses 100 MiB per check."""
        found = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                found.append(round(int(match.group(1)) / 1024, 1))
        return found

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- HTTP and signing in ------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    form: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> tuple[int, dict[str, str], str]:
    """One request on a new connection; Set-Cookie headers update `cookies`."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"Host": f"{HOST}:{port}"}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    cookies.pop(name, None)
                else:
                    cookies[name] = morsel.value
        return response.status, dict(response.headers.items()), text
    finally:
        connection.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token in the form")
    return match.group(1)


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238: what an authenticator app shows for this key now (as django-otp checks)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def sign_in(port: int, username: str, passphrase: str, totp_key_hex: str | None = None) -> str:
    """Sign in over HTTP as a browser would (the form, then the 6-digit code for a lead);
    returns the Cookie header for the signed-in session."""
    cookies: dict[str, str] = {}
    status, _, page = request(port, "GET", "/accounts/sign-in/", cookies)
    if status != 200:
        raise RuntimeError(f"sign-in page answered {status}")
    form = {"csrfmiddlewaretoken": _csrf_token(page), "username": username, "password": passphrase}
    status, headers, _ = request(port, "POST", "/accounts/sign-in/", cookies, form)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {username} answered {status}, not a redirect")
    status, headers, page = request(port, "GET", "/", cookies)
    if status == 302 and "/accounts/two-factor/" in headers.get("Location", ""):
        if totp_key_hex is None:
            raise RuntimeError(f"{username} needs a two-factor code and no key was given")
        status, _, page = request(port, "GET", "/accounts/two-factor/", cookies)
        form = {"csrfmiddlewaretoken": _csrf_token(page), "token": totp(totp_key_hex)}
        status, headers, _ = request(port, "POST", "/accounts/two-factor/", cookies, form)
        if status != 302:
            raise RuntimeError(f"the two-factor code for {username} was refused ({status})")
        status, headers, _ = request(port, "GET", "/", cookies)
    if status == 302 and headers.get("Location") == "/network/":
        # The network's own staff start on the network's home.
        status, _, _ = request(port, "GET", "/network/", cookies)
    if status != 200:
        raise RuntimeError(f"after signing in, {username}'s home page answered {status}")
    return cookie_header(cookies)


def demo_sign_ins() -> dict[str, tuple[str, str | None]]:
    """username -> (passphrase, TOTP key in hex or None), from the demo's own list.
    Needs Django set up (the list lives beside the models)."""
    from alongside.demo.seed import sign_ins
    from alongside.demo.sign_ins import DEMO_SIGN_INS

    keys = {s.username: s.totp_key_hex for s in DEMO_SIGN_INS}
    return {username: (passphrase, keys.get(username)) for _, username, passphrase, _ in sign_ins()}


__all__ = [
    "DATA_DIR",
    "ROOT",
    "Server",
    "collectstatic",
    "configure_django",
    "demo_sign_ins",
    "environment",
    "peak_rss_mb",
    "request",
    "reset_database",
    "sign_in",
    "totp",
    "vendor",
]
