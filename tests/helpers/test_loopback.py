"""The shared loopback server answers real HTTP from routes and records what it received."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.helpers.loopback import LoopbackServer, Request, Response


def test_routes_answer_by_path_and_unknown_paths_are_404() -> None:
    def echo(request: Request) -> Response:
        return Response(201, {"got": request.json(), "q": request.query})

    with LoopbackServer({"/page": Response(body=[1, 2]), "/echo": echo}) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.port > 0
        with urllib.request.urlopen(server.url + "/page?x=1") as reply:
            assert json.load(reply) == [1, 2]
        post = urllib.request.Request(server.url + "/echo?a=b", data=b'{"k": 1}', method="POST")
        with urllib.request.urlopen(post) as reply:
            assert reply.status == 201
            assert json.load(reply) == {"got": {"k": 1}, "q": {"a": ["b"]}}
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + "/nowhere")
        assert missing.value.code == 404
    assert [(r.method, r.target) for r in server.requests] == [
        ("GET", "/page?x=1"),
        ("POST", "/echo?a=b"),
        ("GET", "/nowhere"),
    ]
