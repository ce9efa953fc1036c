"""The price-refresh client's HTTP limits (issue 17, item 2), against 127.0.0.1 only."""

from __future__ import annotations

import socket
import threading

import pytest

from costgate.errors import CatalogError
from costgate.pricing.refresh.http import get_json
from tests.helpers.loopback import LoopbackServer, Response

BIG = b"[" + b'"x",' * 300_000 + b'"x"]'


@pytest.mark.parametrize("declared", [True, False])
def test_an_oversized_body_is_refused(declared: bool) -> None:
    with LoopbackServer({"/p": Response(body=BIG, content_length=declared)}) as server:
        with pytest.raises(CatalogError, match="more than 1,000,000 bytes"):
            get_json(server.url + "/p", "the test API", max_body=1_000_000)
        assert len(get_json(server.url + "/p", "the test API")) == 300_001


def test_a_redirect_loop_is_an_error() -> None:
    with LoopbackServer({"/p": Response(302, headers={"Location": "/p"})}) as server:
        with pytest.raises(CatalogError, match="answered HTTP 302"):
            get_json(server.url + "/p", "the test API")
    assert len(server.requests) <= 6


def test_a_slow_server_times_out() -> None:
    with LoopbackServer({"/p": Response(body={}, delay=1.0)}) as server:
        with pytest.raises(CatalogError, match="cannot reach the test API"):
            get_json(server.url + "/p", "the test API", timeout=0.2)


def test_not_json_is_an_error() -> None:
    with LoopbackServer({"/p": Response(body=b"\xff<html>")}) as server:
        with pytest.raises(CatalogError, match="did not return JSON"):
            get_json(server.url + "/p", "the test API")


def test_an_invalid_url_is_an_error_not_a_crash() -> None:
    with LoopbackServer({"/p": Response(body={})}) as server:
        with pytest.raises(CatalogError, match="the test API: invalid URL"):
            get_json(server.url + "/p?$filter=a eq 'b'", "the test API")  # unencoded spaces
    assert server.requests == []  # refused before anything was sent
    with pytest.raises(CatalogError, match="invalid URL 'prices'"):
        get_json("prices", "the test API")  # no scheme


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{", "1 of 100 bytes"),  # cut short
        (b"SSH-2.0-not-http\r\n", "broken answer"),  # not an HTTP status line
    ],
)
def test_a_broken_http_answer_is_not_called_an_invalid_url(answer: bytes, expected: str) -> None:
    # a body cut short was parsed as if complete; a BadStatusLine was called "invalid URL"
    with socket.create_server(("127.0.0.1", 0)) as listener:

        def serve() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(answer)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/p"
        with pytest.raises(CatalogError) as error:
            get_json(url, "the test API", timeout=5)
        thread.join(5)
    assert expected in str(error.value) and "invalid URL" not in str(error.value)
    assert "nothing written" in str(error.value)
