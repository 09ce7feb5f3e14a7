"""What the load and fault tests share: databases, the server and worker processes, an HTTP
client that signs in as a browser does, and a TCP proxy that can take the database away.

Nothing here imports Django: the processes it starts run Django, and the tests that use it run
beside pytest-django without touching its test database. Everything is on 127.0.0.1.

Databases. `prepare_database` migrates and seeds one (loadtest.prepare, a process of its own)
and returns the plan (who signs in, whose people are whose). The tests share one seeded
PostgreSQL *template*, built once (under an advisory lock, so parallel test processes wait for
one another instead of building it twice) and kept between runs under a name that is a hash of
the migrations and the seed code, so a change to either builds a new one and drops the old;
each test module clones it (`CREATE DATABASE ... TEMPLATE`, well under a second) into a
database named after its purpose and process id, and drops that at the end. A clone left
behind by a run that was killed is dropped by the next run.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
DATA_DIR = ROOT / ".local" / "loadtest"
# The PostgreSQL server the tests use (any database on it: they make their own).
POSTGRES_SERVER = os.environ.get(
    "LOADTEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
TEMPLATE_PREFIX = "alongside_loadtest_template_"
INSTANCE_PREFIX = "alongside_lt_"
# People in the shared template: enough for four coaches who can sign in (one per 60).
TEMPLATE_PEOPLE = 240


# --- databases -------------------------------------------------------------------------------


def vendor(url: str) -> str:
    return "postgresql" if urlsplit(url).scheme.startswith("postgres") else "sqlite"


def require_loopback(url: str) -> None:
    """Refuse anything but this machine: these tools drop databases and flood servers."""
    if vendor(url) == "sqlite":
        return
    host = urlsplit(url).hostname or "localhost"
    if host not in LOOPBACK:
        raise SystemExit(f"Refusing {host!r}: the load tests only run against 127.0.0.1.")


def database_name(url: str) -> str:
    """PostgreSQL's database name, or SQLite's file (sqlite:////abs/path is /abs/path)."""
    path = urlsplit(url).path
    if vendor(url) == "sqlite":
        return unquote(path[1:])
    return unquote(path.lstrip("/"))


def with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def _maintenance(url: str = POSTGRES_SERVER) -> str:
    return with_database(url, "postgres")


def postgres_reachable(url: str = POSTGRES_SERVER) -> bool:
    try:
        import psycopg

        with psycopg.connect(_maintenance(url), connect_timeout=3):
            return True
    except Exception:
        return False


def postgres_or_skip() -> None:
    """In a test: skip when PostgreSQL is not there, or fail with REQUIRE_POSTGRES=1."""
    import pytest

    if postgres_reachable():
        return
    message = f"PostgreSQL is not reachable at {_maintenance()} (set LOADTEST_POSTGRES_URL)"
    if os.environ.get("REQUIRE_POSTGRES", "").strip().lower() in {"1", "true", "yes", "on"}:
        pytest.fail(message + " and REQUIRE_POSTGRES=1", pytrace=False)
    pytest.skip(message)


def _admin(statements: list[tuple[str, tuple[Any, ...]]], url: str = POSTGRES_SERVER) -> None:
    import psycopg

    with psycopg.connect(_maintenance(url), autocommit=True) as connection:
        for statement, params in statements:
            connection.execute(statement, params)  # type: ignore[arg-type]


def _ident(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ValueError(f"not a plain database name: {name!r}")
    return f'"{name}"'


def drop_database(url: str) -> None:
    require_loopback(url)
    if vendor(url) == "sqlite":
        path = Path(database_name(url))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = _ident(database_name(url))
    _admin([(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", ())], url)


def reset_database(url: str) -> None:
    """An empty database: dropped and made again (PostgreSQL), or the file removed (SQLite)."""
    drop_database(url)
    if vendor(url) == "sqlite":
        Path(database_name(url)).parent.mkdir(parents=True, exist_ok=True)
        return
    _admin([(f"CREATE DATABASE {_ident(database_name(url))}", ())], url)


def query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows from the database the server uses, read by a connection of our own. `%s` marks
    parameters on both databases."""
    if vendor(url) == "sqlite":
        connection = sqlite3.connect(database_name(url), timeout=30)
        try:
            cursor = connection.execute(sql.replace("%s", "?"), params)
            rows = cursor.fetchall()
            connection.commit()
            return rows
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql, params)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def prepare_database(url: str, people: int = TEMPLATE_PEOPLE) -> dict:
    """Migrate and seed `url` (which must exist and be empty) in a process of its own; return
    the plan loadtest.prepare prints."""
    require_loopback(url)
    env = server_env(url, secret_key=new_secret_key())
    # A database being made need not survive a crash of PostgreSQL itself.
    env["PGOPTIONS"] = "-c synchronous_commit=off"
    command = [sys.executable, "-m", "loadtest.prepare", "--people", str(people)]
    done = subprocess.run(  # noqa: S603 (our own module, our own arguments)
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"loadtest.prepare failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _template_key(people: int) -> str:
    digest = hashlib.sha256(str(people).encode())
    sources = sorted(ROOT.glob("alongside/*/migrations/*.py"))
    sources += sorted(ROOT.glob("alongside/demo/**/*.py"))
    sources += [ROOT / "loadtest" / "prepare.py"]
    for path in sources:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _plan_of(name: str) -> dict | None:
    rows = query(
        _maintenance(),
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        (name,),
    )
    if not rows or not rows[0][0]:
        return None
    return json.loads(rows[0][0])


def template_database(people: int = TEMPLATE_PEOPLE) -> tuple[str, dict]:
    """The name and plan of the shared, seeded template, built if it is not there yet."""
    import psycopg

    name = f"{TEMPLATE_PREFIX}{_template_key(people)}"
    with psycopg.connect(_maintenance(), autocommit=True) as lock:
        # One builder at a time, across every process on this machine; the rest wait here.
        lock.execute("SELECT pg_advisory_lock(hashtext('alongside loadtest template'))")
        plan = _plan_of(name)
        if plan is not None:
            return name, plan
        for (old,) in query(
            _maintenance(),
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (TEMPLATE_PREFIX.replace("_", r"\_") + "%",),
        ):
            _admin(
                [
                    (f"ALTER DATABASE {_ident(old)} WITH IS_TEMPLATE false", ()),
                    (f"DROP DATABASE IF EXISTS {_ident(old)} WITH (FORCE)", ()),
                ]
            )
        building = f"{name}_partial"
        reset_database(with_database(POSTGRES_SERVER, building))
        plan = prepare_database(with_database(POSTGRES_SERVER, building), people)
        _admin(
            [
                (f"ALTER DATABASE {_ident(building)} RENAME TO {_ident(name)}", ()),
                # Nobody connects to the template, so cloning it never has to wait.
                (f"ALTER DATABASE {_ident(name)} IS_TEMPLATE true ALLOW_CONNECTIONS false", ()),
                (f"COMMENT ON DATABASE {_ident(name)} IS {_literal(json.dumps(plan))}", ()),
            ]
        )
        return name, plan


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def drop_abandoned_clones() -> None:
    """Drop the clones of runs whose process is gone (killed before it could clean up)."""
    pattern = INSTANCE_PREFIX.replace("_", r"\_") + "%"
    for (name,) in query(
        _maintenance(), "SELECT datname FROM pg_database WHERE datname LIKE %s", (pattern,)
    ):
        match = re.fullmatch(rf"{INSTANCE_PREFIX}[a-z0-9]+_(\d+)", name)
        if match is None or _alive(int(match.group(1))):
            continue
        # A process id from another PID namespace could look dead: leave any database that
        # something is still connected to.
        (busy,) = query(
            _maintenance(), "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        if not busy[0]:
            drop_database(with_database(POSTGRES_SERVER, name))


@contextlib.contextmanager
def cloned_database(purpose: str) -> Iterator[tuple[str, dict]]:
    """A database of this process's own, cloned from the template; dropped afterwards."""
    template, plan = template_database()
    drop_abandoned_clones()
    name = f"{INSTANCE_PREFIX}{purpose}_{os.getpid()}"
    url = with_database(POSTGRES_SERVER, name)
    drop_database(url)
    for attempt in range(5):
        try:
            _admin([(f"CREATE DATABASE {_ident(name)} TEMPLATE {_ident(template)}", ())])
            break
        except Exception:  # another process's clone of the same template, at this moment
            if attempt == 4:
                raise
            time.sleep(0.5 + attempt)
    try:
        yield url, plan
    finally:
        drop_database(url)


# --- static files ----------------------------------------------------------------------------


def ensure_static_files(env: dict[str, str]) -> None:
    """With DEBUG off WhiteNoise serves the files collectstatic wrote, by its manifest: collect
    them when the manifest is missing or older than a source file (one process at a time)."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with (DATA_DIR / "collectstatic.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if manifest.exists():
            built = manifest.stat().st_mtime
            sources = [p for p in ROOT.glob("alongside/*/static/**/*") if p.is_file()]
            if all(p.stat().st_mtime <= built for p in sources):
                return
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )


# --- processes -------------------------------------------------------------------------------


def new_secret_key() -> str:
    """A throwaway key: these databases hold nothing but invented people."""
    return "loadtest-" + secrets.token_urlsafe(40)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env(database_url: str, *, secret_key: str, **extra: str) -> dict[str, str]:
    """The production settings (DEBUG off) over plain HTTP on 127.0.0.1, quiet logs."""
    require_loopback(database_url)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    keep.pop("DATABASE_URL", None)
    keep.update(
        {
            "DJANGO_SETTINGS_MODULE": "alongside.settings",
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "HOST": HOST,
            "LOG_LEVEL": os.environ.get("LOADTEST_LOG_LEVEL", "WARNING"),
            "PYTHONPATH": str(ROOT),
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
        }
    )
    keep.update(extra)
    return keep


# Every process started here and not yet stopped: killed when this process exits, however
# the test or the run that started them ended.
_RUNNING: set[Process] = set()


@atexit.register
def _kill_leftovers() -> None:
    for process in list(_RUNNING):
        process.kill()


class Process:
    """A child process in a session (process group) of its own, so it and everything it
    started can be stopped, or killed, together. Its output goes to a log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(  # noqa: S603
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _RUNNING.add(self)
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def _signal_group(self, signum: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def kill(self) -> None:
        """SIGKILL to the whole group: no goodbyes, as when a machine loses power."""
        self._signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=30)
        _RUNNING.discard(self)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM (a graceful stop), then SIGKILL for whatever is still there."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        # Children that outlived their parent are still in the group.
        self._signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        _RUNNING.discard(self)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


class Site(Process):
    """`python -m alongside.serve`, as `make serve` runs it: gunicorn and (unless job_workers
    is 0) the job worker beside it."""

    def __init__(
        self,
        env: dict[str, str],
        log_dir: Path,
        *,
        name: str = "site",
        port: int | None = None,
        web_workers: int = 2,
        job_workers: int = 0,
    ) -> None:
        self.port = port or free_port()
        env = dict(env, PORT=str(self.port), WEB_WORKERS=str(web_workers))
        env["JOB_WORKERS"] = str(job_workers)
        super().__init__(name, [sys.executable, "-m", "alongside.serve"], env, log_dir)

    def start(self, timeout: float = 90, *, wait: bool = True) -> Site:
        """Start it, and (unless wait=False) wait until /healthz answers 200."""
        super().start()
        if wait:
            self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} stopped; its log:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                if Browser(self.port, timeout=5).get("/healthz").status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(
            f"{self.name} did not answer /healthz in {timeout:.0f}s:\n{self.log_tail()}"
        )

    def gunicorn_pids(self) -> list[int]:
        """The gunicorn master and its workers (the processes in this site's group)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if os.getpgid(int(entry.name)) == self.pid:
                    cmdline = (entry / "cmdline").read_bytes()
                    if b"gunicorn" in cmdline:
                        found.append(int(entry.name))
            except (OSError, ProcessLookupError):
                continue
        return sorted(found)


def worker(
    env: dict[str, str],
    log_dir: Path,
    *,
    name: str = "worker",
    embed_delay: float = 0.0,
    **extra: str,
) -> Process:
    """`manage.py worker` with the stand-in sentence model (loadtest.worker), not started."""
    env = dict(env, LOADTEST_EMBED_DELAY=str(embed_delay), **extra)
    command = [
        sys.executable,
        "-m",
        "loadtest.worker",
        "--interval=0.2",
        "--no-reload",
        "--no-startup-delay",
        f"--worker-id={name}",
    ]
    return Process(name, command, env, log_dir)


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


Files = dict[str, tuple[str, bytes, str]]  # field -> (file name, content, content type)


def multipart(fields: dict[str, str], files: Files) -> tuple[bytes, str]:
    boundary = f"loadtest{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + str(value).encode() + b"\r\n")
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Browser:
    """One browser: a cookie jar and requests to one port on 127.0.0.1 (a new connection per
    request, as gunicorn's sync workers close each one). Redirects are not followed: a 302
    after a POST is how the site says a write was saved."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0

    def copy(self, port: int | None = None) -> Browser:
        return Browser(port or self.port, dict(self.cookies), self.timeout)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        files: Files | None = None,
    ) -> Response:
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body: bytes | None = None
        if files:
            body, headers["Content-Type"] = multipart(form or {}, files)
        elif form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            try:
                connection.request(method, path, body=body, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
            except http.client.HTTPException as cut:
                # A server killed mid-answer leaves half a status line or half a body
                # (IncompleteRead, BadStatusLine): that is no answer, like a refused
                # connection, not a page that could not be read.
                raise ConnectionError(f"the answer was cut off: {cut!r}") from cut
            seconds = time.perf_counter() - started
            for header in answer.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel.value == "" or morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            found = {k.lower(): v for k, v in answer.headers.items()}
            return Response(answer.status, found, content, seconds)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(
        self,
        path: str,
        form: dict[str, str],
        *,
        token: str | None = None,
        files: Files | None = None,
    ) -> Response:
        """POST with the CSRF token of a page this browser has (or of `path` itself)."""
        if token is None:
            page = self.get(path)
            token = csrf_token(page.text)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **form}, files)

    def sign_in(self, username: str, passphrase: str, totp_key_hex: str | None = None) -> Browser:
        """The sign-in form, then the six-digit code for staff who need two-factor."""
        page = self.get("/accounts/sign-in/")
        answer = self.post(
            "/accounts/sign-in/",
            {"username": username, "password": passphrase},
            token=csrf_token(page.text),
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in as {username} answered {answer.status}")
        home = self.get("/")
        if home.status == 302 and "/accounts/two-factor/" in home.location:
            if totp_key_hex is None:
                raise RuntimeError(f"{username} needs a two-factor code and no key was given")
            code = self.post("/accounts/two-factor/", {"token": totp(totp_key_hex)})
            if code.status != 302:
                raise RuntimeError(f"the two-factor code for {username} was refused")
            home = self.get("/")
        if home.status != 200:
            raise RuntimeError(f"after signing in, {username}'s home page answered {home.status}")
        return self


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238: what an authenticator app shows for this key now (as django-otp checks)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def signed_in(port: int, plan: dict, username: str) -> Browser:
    user = plan["users"][username]
    return Browser(port).sign_in(username, user["passphrase"], user.get("totp_key_hex"))


def wait_for(check: Any, timeout: float, every: float = 0.1, what: str = "") -> Any:
    """Call `check` until it returns something true; that, or TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g}s for {what or check}")
        time.sleep(every)


# --- a TCP proxy that can take the database away --------------------------------------------


class Proxy:
    """Forwards 127.0.0.1:<port> to the database. `stop()` closes the port and cuts every
    connection through it (the database has gone away); `start()` opens the same port again."""

    def __init__(self, target: tuple[str, int]) -> None:
        if target[0] not in LOOPBACK:
            raise SystemExit("The proxy forwards to this machine only.")
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def url_for(self, database_url: str) -> str:
        parts = urlsplit(database_url)
        user = f"{parts.username}@" if parts.username else ""
        return parts._replace(netloc=f"{user}{HOST}:{self.port}").geturl()

    def start(self) -> Proxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # stopped meanwhile
                    client.close()
                    upstream.close()
                    return
                self._sockets |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._sockets -= {source, sink}
            source.close()
            sink.close()


def postgres_address(url: str = POSTGRES_SERVER) -> tuple[str, int]:
    parts = urlsplit(url)
    return (parts.hostname or HOST, parts.port or 5432)


# --- a listening import ----------------------------------------------------------------------


def import_csv(rows: int, tag: str, channel: str) -> bytes:
    """A CSV file of `rows` contributions, each with a marker of its own (imp-<tag>-<n>)."""
    lines = ["channel,place,text"]
    lines += [
        f'{channel},Northfield,"imp-{tag}-{n}: the buses stop early, and the library '
        'closes on Tuesdays, so there is nowhere warm to wait."'
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


IMPORT_STARTED = re.compile(r"^/listening/(\d+)/imports/(\d+)/$")


def start_import(browser: Browser, exercise: dict, content: bytes) -> int:
    """Bring a file in through the import page, as a listener would; the job's id."""
    path = f"/listening/{exercise['id']}/import/"
    page = browser.get(path)
    if page.status != 200:
        raise RuntimeError(f"the import page answered {page.status}")
    answer = browser.post(
        path,
        {"channel": exercise["channel"], "place": ""},
        token=csrf_token(page.text),
        files={"file": ("contributions.csv", content, "text/csv")},
    )
    found = IMPORT_STARTED.match(answer.location) if answer.status == 302 else None
    if found is None:
        raise RuntimeError(f"the import was not started: {answer.status} {answer.text[:500]}")
    return int(found.group(2))


def imported(database_url: str, tag: str) -> dict[int, int]:
    """How many times each marked row of an import is in the database."""
    counts: dict[int, int] = {}
    marker = re.compile(rf"^imp-{re.escape(tag)}-(\d+):")
    for (text,) in query(
        database_url,
        "SELECT text FROM listening_contribution WHERE text LIKE %s",
        (f"imp-{tag}-%",),
    ):
        found = marker.match(text)
        if found:
            counts[int(found.group(1))] = counts.get(int(found.group(1)), 0) + 1
    return counts


def job(database_url: str, job_id: int) -> dict[str, Any]:
    (row,) = query(
        database_url,
        "SELECT status, done, total, attempts, message FROM core_job WHERE id = %s",
        (job_id,),
    )
    return dict(zip(("status", "done", "total", "attempts", "message"), row, strict=True))
