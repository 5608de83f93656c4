"""A small SMTP server on loopback for the tests: it keeps what it accepts, and can hang.

Enough of RFC 5321 for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT). ``hang_at``
makes it stop answering at one step, as a server that is slow or a network that broke, so
that a test can kill the worker that waits on it: ``"RCPT"`` before the message is handed
over, ``"END"`` once the whole content has arrived and before the server says it took it.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from email import policy
from email.parser import BytesParser


class SMTPServer:
    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.hang_at: str | None = None
        self.refuse_data_with: bytes | None = None
        # Close the connection once the content has arrived, without an answer.
        self.cut_after_data = False
        self.hanging = threading.Event()
        self._release = threading.Event()
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                server._converse(self.rfile, self.wfile)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SMTPServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def messages(self):
        return [BytesParser(policy=policy.default).parsebytes(raw) for raw in self.received]

    def release(self) -> None:
        """Stop hanging: the connection that hung is closed without an answer."""
        self.hang_at = None
        self._release.set()

    def _hang(self, step: str) -> bool:
        if self.hang_at != step:
            return False
        self.hanging.set()
        self._release.wait(60)
        return True

    def _converse(self, rfile, wfile) -> None:
        def say(line: bytes) -> None:
            wfile.write(line + b"\r\n")
            wfile.flush()

        try:
            say(b"220 test.example ESMTP")
            while True:
                line = rfile.readline()
                if not line:
                    return
                command = line.strip().upper()
                if command.startswith((b"EHLO", b"HELO")):
                    say(b"250 test.example")
                elif command.startswith(b"MAIL"):
                    say(b"250 OK")
                elif command.startswith(b"RCPT"):
                    if self._hang("RCPT"):
                        return
                    say(b"250 OK")
                elif command == b"DATA":
                    say(b"354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while (part := rfile.readline()) not in (b".\r\n", b""):
                        lines.append(part[1:] if part.startswith(b"..") else part)
                    content = b"".join(lines)
                    if self.refuse_data_with is not None:
                        say(self.refuse_data_with)
                        continue
                    # The server has the message now, whatever the client hears next.
                    self.received.append(content)
                    if self.cut_after_data:
                        return
                    if self._hang("END"):
                        return
                    say(b"250 OK queued")
                elif command in (b"RSET", b"NOOP"):
                    say(b"250 OK")
                elif command == b"QUIT":
                    say(b"221 Bye")
                    return
                else:
                    say(b"502 Command not implemented")
        except (ConnectionError, OSError):
            return


def closed_port() -> int:
    """A loopback port where nothing listens: connecting to it is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
