"""One way to run a fake HTTP service in the tests: real HTTP on 127.0.0.1, port 0, a thread.

The fake is a function from `Request` to `Response` (an *app*), or a dict mapping URL paths
(without the query) to a `Response` or to an app; an unknown path answers 404. Every
request is recorded on the server, in order:

    with LoopbackServer({"/prices": Response(body={"items": []})}) as server:
        fetch(server.url + "/prices")
        assert server.requests[0].query == {}

The socket is bound when the server is built, so `url` is known before the `with`; the
thread starts on entry and the server is shut down and its socket closed on exit.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    """What the client sent: `target` is the path with its query, headers are lower-cased."""

    method: str
    target: str
    headers: Mapping[str, str]
    body: bytes
    base_url: str

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Response:
    """`body` is sent as is when it is bytes, else as JSON (None: an empty body)."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    content_length: bool = True
    """False: no Content-Length, the body ends when the connection closes (a stream)."""
    delay: float = 0.0
    """Seconds to wait before answering (a slow server, for timeouts)."""

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return b"" if self.body is None else json.dumps(self.body).encode()


App = Callable[[Request], Response]
Routes = Mapping[str, "Response | App"]


def route(routes: Routes) -> App:
    """An app serving *routes* by exact path; anything else is a 404."""

    def app(request: Request) -> Response:
        answer = routes.get(request.path)
        if answer is None:
            return Response(404, {"message": f"no route for {request.path}"})
        return answer if isinstance(answer, Response) else answer(request)

    return app


class LoopbackServer:
    """Serves *app* (or a dict of routes) on 127.0.0.1 on a free port while entered."""

    def __init__(self, app: App | Routes) -> None:
        self.app: App = route(app) if isinstance(app, Mapping) else app
        self.requests: list[Request] = []
        self._server = ThreadingHTTPServer((HOST, 0), self._handler())
        self.port: int = self._server.server_address[1]
        self.url = f"http://{HOST}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    target=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    base_url=loopback.url,
                )
                loopback.requests.append(request)
                response = loopback.app(request)
                payload = response.payload()
                if response.delay:
                    time.sleep(response.delay)
                self.send_response(response.status)
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", response.content_type)
                if response.content_length:
                    self.send_header("Content-Length", str(len(payload)))
                else:
                    self.close_connection = True
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading (a size limit): that is the point

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        return Handler
