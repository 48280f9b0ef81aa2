"""Gunicorn's access log (gunicorn.conf.py) never writes the one-time token of an emailed link."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

CONFIG = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
TOKEN = "_A64V1zdxpgyt7FmLnBnMq8o2JZMiay7RcsqnD6js-A"


def access_line(path: str, *, query: str = "", referer: str = "") -> str:
    """The line gunicorn's configured logger writes for a GET of ``path``."""
    logger = CONFIG["logger_class"](Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "RAW_URI": path + (f"?{query}" if query else ""),
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("X-Request-Id", "abc")])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=5))
    return CONFIG["access_log_format"] % atoms + " " + " ".join(str(atoms[key]) for key in ("r", "q", "f"))


@pytest.mark.parametrize(
    "path",
    [
        f"/invitations/{TOKEN}/",
        f"/sign-in-reset/{TOKEN}/",
        f"/accounts/password/reset/key/4-{TOKEN}/",
        f"/accounts/confirm-email/{TOKEN}/",
    ],
)
def test_the_access_log_redacts_the_token_of_an_emailed_link(path: str) -> None:
    line = access_line(path, query=f"next={TOKEN}", referer=f"http://threshold.example{path}")
    assert TOKEN not in line
    assert "[redacted]" in line


def test_the_access_log_keeps_an_ordinary_path_and_leaves_out_its_query_string() -> None:
    line = access_line("/concerns/ab3k9x2q/", query="name=Robyn+Youthleader")
    assert '127.0.0.1 "GET /concerns/ab3k9x2q/" 200 10 5ms "abc"' in line
    assert "Robyn" not in line


def test_the_server_is_configured_with_the_redacting_logger() -> None:
    assert CONFIG["logger_class"].__name__ == "AccessLogger"
    assert "%(U)s" in CONFIG["access_log_format"]
