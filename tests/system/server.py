"""The browser journeys' server: gunicorn with ``gunicorn.conf.py``, as production runs it, in a process of its own.

Each pytest worker starts one server, serving the worker's own test database
(``THRESHOLD_TEST_SERVER_DATABASE``, read by ``threshold/settings/test.py``),
its document store, and writing mail as files the journeys read back
(``Server.sent_emails``). What the tests commit the server sees; what a test
changes in its own process (settings, mocks, the locmem outbox) it does not.

When the run measures coverage, the server does too: it runs gunicorn through
``tests/system/covered_server.py``, which measures gunicorn's workers and
writes their data where the run's report counts it.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from tests.system import covered_server

REPOSITORY = Path(__file__).resolve().parents[2]
# Two sync workers: the browser asks for a page's styles, scripts and images at once.
WORKERS = 2
START_TIMEOUT_SECONDS = 60


@dataclass
class Server:
    """A running gunicorn serving the test database."""

    url: str
    process: subprocess.Popen[bytes]
    outbox: Path
    log: Path

    def sent_emails(self) -> list[EmailMessage]:
        """The messages the server has sent, oldest first (the file backend writes one file per connection)."""
        messages = []
        for path in sorted(self.outbox.glob("*.log"), key=lambda path: (path.stat().st_mtime_ns, path.name)):
            # The file backend separates the messages of one connection with a line of 79 dashes.
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages

    def last_email_text(self) -> str:
        """The plain-text body of the last message sent."""
        messages = self.sent_emails()
        assert messages, "the server has sent no email"
        body = messages[-1].get_body(preferencelist=("plain",))
        assert body is not None, "the last email has no plain-text part"
        return str(body.get_content())

    def clear_outbox(self) -> None:
        """Forget the messages sent so far (each journey reads only its own)."""
        for path in self.outbox.glob("*.log"):
            path.unlink()

    def stop(self) -> None:
        """Stop gunicorn gracefully (its workers finish their request and write their coverage), then for good."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(*, database: str, document_root: Path, folder: Path) -> Server:
    """Start gunicorn on a free port serving ``database``, and wait until ``/health/`` answers."""
    outbox = folder / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    log = folder / "gunicorn.log"
    port = _free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "threshold.settings.test"),
        "THRESHOLD_TEST_SERVER_DATABASE": database,
        "THRESHOLD_TEST_SERVER_DOCUMENTS": str(document_root),
        "THRESHOLD_TEST_SERVER_OUTBOX": str(outbox),
        covered_server.WORKER: os.environ.get("PYTEST_XDIST_WORKER", ""),
    }
    environment.pop("PYTEST_XDIST_WORKER", None)
    measured = bool(environment.get(covered_server.FOLDER))  # the run measures coverage in xdist workers
    command = [
        sys.executable,
        "-m",
        "tests.system.covered_server" if measured else "gunicorn",
        "--config",
        str(REPOSITORY / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "threshold.wsgi",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=REPOSITORY, env=environment, stdout=output, stderr=subprocess.STDOUT)
    server = Server(url=f"http://127.0.0.1:{port}", process=process, outbox=outbox, log=log)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/health/", timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer /health/ in {START_TIMEOUT_SECONDS} s:\n{log.read_text()[-4000:]}")
