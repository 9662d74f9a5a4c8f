"""A scripted OpenAI-compatible chat server on 127.0.0.1, for tests that go through the real client.

`ScriptedLLM` speaks `POST /v1/chat/completions` (and `GET /v1/models`). Replies come from a queue of
`Reply` values (`script`), then from `responder(request) -> Reply` when the queue is empty. A reply
can inject failures: any HTTP status with headers (429 + Retry-After, 500), a delay (client
timeouts), a raw body (malformed JSON, truncated bodies), an empty or missing message, or a dropped
connection. Every request body is recorded in `requests`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    content: str | None = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    body: bytes | None = None  # sent as is instead of a well-formed completion
    claimed_length: int | None = None  # a Content-Length larger than the body: a truncated response
    drop: bool = False  # close the connection without answering
    no_choices: bool = False
    prompt_tokens: int = 100
    completion_tokens: int = 50


def completion_body(reply: Reply, model: str) -> bytes:
    choices = (
        []
        if reply.no_choices
        else [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": reply.content}}
        ]
    )
    usage = {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }
    data = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": choices,
        "usage": usage,
    }
    return json.dumps(data).encode()


def user_text(request: dict[str, Any]) -> str:
    """The last user message of a recorded request."""
    return next(m["content"] for m in reversed(request["messages"]) if m["role"] == "user")


class ScriptedLLM:
    def __init__(self, responder: Callable[[dict[str, Any]], Reply] | None = None) -> None:
        self.script: deque[Reply] = deque()
        self.responder = responder or (lambda request: Reply("no script left"))
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def queue(self, *replies: Reply) -> None:
        with self.lock:
            self.script.extend(replies)

    def next_reply(self, request: dict[str, Any]) -> Reply:
        with self.lock:
            self.requests.append(request)
            if self.script:
                return self.script.popleft()
        return self.responder(request)

    def __enter__(self) -> ScriptedLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                body = json.dumps(
                    {"object": "list", "data": [{"id": "test-model", "object": "model"}]}
                ).encode()
                self._send(200, {}, body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                try:
                    request = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    request = {}
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {}, b'{"error": {"message": "not found"}}')
                    return
                reply = owner.next_reply(request)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                if reply.status != 200:
                    body = (
                        reply.body or json.dumps({"error": {"message": f"scripted {reply.status}"}}).encode()
                    )
                    self._send(reply.status, reply.headers, body)
                    return
                body = (
                    reply.body if reply.body is not None else completion_body(reply, request.get("model", ""))
                )
                self._send(200, reply.headers, body, reply.claimed_length)

            def _send(
                self, status: int, headers: dict[str, str], body: bytes, length: int | None = None
            ) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(length or len(body)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if length:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if length:
                    self.close_connection = True

        return Handler
