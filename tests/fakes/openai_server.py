"""A small OpenAI-compatible server on 127.0.0.1 for tests.

It speaks the parts of the protocol the platform uses: ``POST /v1/chat/completions`` with
text and image content, JSON mode, and ``stream=true`` (server-sent events with a final usage
chunk), plus ``GET /v1/models``. Replies are scripted: a queue of replies first, then
``handler`` (a function of the request body), then a plain "ok". The real ``openai`` SDK talks
to it over a real socket, so timeouts, retries and status codes behave as with a real provider.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self):
        self.queue: deque = deque()
        self.handler = None
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._make_handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ---- scripting -------------------------------------------------------------------
    def reply_json(self, obj, **extra):
        self.queue.append({"json": obj, **extra})

    def reply_text(self, text: str, **extra):
        self.queue.append({"text": text, **extra})

    def reply_raw(self, content: str):
        self.queue.append({"text": content})

    def reply_error(self, status: int, times: int = 1, body: dict | None = None):
        for _ in range(times):
            self.queue.append({"status": status, "body": body})

    def reply_slow(self, seconds: float, then: dict | None = None):
        self.queue.append({"delay": seconds, **(then or {"text": "tarde"})})

    def reply_empty_choices(self):
        self.queue.append({"no_choices": True})

    @property
    def last_messages(self) -> list[dict]:
        return self.requests[-1]["messages"] if self.requests else []

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # ---- protocol --------------------------------------------------------------------
    def _next_reply(self, body: dict) -> dict:
        with self._lock:
            if self.queue:
                return self.queue.popleft()
        if self.handler is not None:
            return self.handler(body)
        return {"text": "ok"}

    def _make_handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _send_json(self, status: int, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    self.close_connection = True

            def do_GET(self):  # noqa: N802
                if self.path.rstrip("/").endswith("/models"):
                    self._send_json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
                else:
                    self._send_json(404, {"error": {"message": "not found"}})

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    self._send_json(400, {"error": {"message": "invalid JSON body"}})
                    return
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                reply = fake._next_reply(body)
                if reply.get("delay"):
                    time.sleep(reply["delay"])
                if reply.get("status"):
                    payload = reply.get("body") or {"error": {"message": f"status {reply['status']}",
                                                              "type": "server_error"}}
                    data = json.dumps(payload).encode()
                    self.send_response(reply["status"])
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if reply["status"] == 429:
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(data)
                    return
                content = json.dumps(reply["json"], ensure_ascii=False) if "json" in reply else reply.get("text", "")
                prompt_tokens = max(1, len(raw) // 4)
                completion_tokens = max(1, len(content) // 4)
                model = body.get("model", "fake-model")
                if body.get("stream"):
                    self._stream(content, model, prompt_tokens, completion_tokens, reply)
                    return
                choices = [] if reply.get("no_choices") else [{
                    "index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }]
                self._send_json(200, {
                    "id": f"chatcmpl-{len(fake.requests)}", "object": "chat.completion", "created": int(time.time()),
                    "model": model, "choices": choices,
                    "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                              "total_tokens": prompt_tokens + completion_tokens},
                })

            def _stream(self, content, model, prompt_tokens, completion_tokens, reply):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = [content[i:i + 12] for i in range(0, len(content), 12)] or [""]
                base = {"id": "chatcmpl-stream", "object": "chat.completion.chunk", "created": int(time.time()),
                        "model": model}
                try:
                    for index, piece in enumerate(pieces):
                        delta = {"content": piece}
                        if index == 0:
                            delta["role"] = "assistant"
                        chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                        self.wfile.flush()
                        if reply.get("chunk_delay"):
                            time.sleep(reply["chunk_delay"])
                        if reply.get("break_after") is not None and index + 1 >= reply["break_after"]:
                            self.close_connection = True
                            return
                    final = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                    self.wfile.write(f"data: {json.dumps(final)}\n\n".encode())
                    usage = {**base, "choices": [], "usage": {
                        "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                        "total_tokens": prompt_tokens + completion_tokens}}
                    self.wfile.write(f"data: {json.dumps(usage)}\n\n".encode())
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        return Handler
