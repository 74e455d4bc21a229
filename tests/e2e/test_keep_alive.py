"""The servers keep an idle connection longer than their clients keep theirs (SERVER_KEEP_ALIVE_S in
scripts/stack.py): a client never sends a request down a connection the server is closing."""

from __future__ import annotations

import http.client
import time

# Longer than the servers' own default (Sanic's and uvicorn's 5 s), shorter than the setting.
IDLE_S = 6.5


def test_each_server_still_serves_a_connection_left_idle_longer_than_its_default(stack):
    paths = {stack.ports.service: "/health", stack.ports.actions: "/health", stack.ports.rasa: "/"}
    connections = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=10) for port in paths}
    sockets = {}
    for port, connection in connections.items():
        connection.request("GET", paths[port])
        assert connection.getresponse().read() and connection.sock is not None
        sockets[port] = connection.sock
    time.sleep(IDLE_S)
    for port, connection in connections.items():
        connection.request("GET", paths[port])  # down the same connection: a closed one raises here or below
        assert connection.getresponse().status == 200 and connection.sock is sockets[port], port
        connection.close()
