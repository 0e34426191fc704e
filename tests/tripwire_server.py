"""A local HTTP server that must receive nothing (a plugin, see conftest `pytest_plugins`):
hostile statements point their images and links at it, and the tests assert it heard no
request. Had one got through, it would answer with an image carrying a marker to look for."""

import http.server
import threading

import pytest

LEAK_MARKER = b"LEAKED-BY-REQUEST"


@pytest.fixture
def tripwire():
    """(base url, the paths requested from it)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(b"\x89PNG\r\n\x1a\n" + LEAK_MARKER)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", hits
    httpd.shutdown()
    httpd.server_close()
