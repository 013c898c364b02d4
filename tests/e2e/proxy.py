"""A loopback TCP proxy the tests can cut, to drop the browser's connection to the app for real.

``context.set_offline()`` does not cut Streamlit's websocket; closing the
sockets does. Only 127.0.0.1 is used on either side.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class CuttableProxy:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()  # while cut, refuse like a dead link
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):  # the other side may have gone already
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def cut(self) -> None:
        """Drop every open connection and refuse new ones until ``restore``."""
        self.open.clear()
        with self.lock:
            for end in self.sockets:
                with contextlib.suppress(OSError):  # the other side may have gone already
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets = []

    def restore(self) -> None:
        self.open.set()

    def stop(self) -> None:
        self.stopped = True
        self.cut()
        self.listener.close()
