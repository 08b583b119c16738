"""The `newsroom` command's answers to an operator's plausible mistakes: one line, never a traceback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from newsroom_shared.cli import main


class ProxyErrorPage(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # the name http.server calls
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html><body><h1>501 Not Implemented</h1></body></html>"
        self.send_response(501)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ProxyErrorPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def submit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["submit", *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_submit_to_something_that_is_not_ingest_keeps_its_http_status(
    proxy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\nBody.")
    code, out, _ = submit(capsys, "--json", "--url", proxy, str(article))
    answer = json.loads(out)
    assert code == 1 and answer["http_status"] == 501 and "HTTP 501 with no JSON answer" in answer["error"]


def test_submit_to_an_address_that_cannot_be_a_url_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\nBody.")
    code, _, err = submit(capsys, "--url", "http://::1:8001", str(article))  # an IPv6 host unbracketed
    assert code == 1 and "refused" in err and "Traceback" not in err
