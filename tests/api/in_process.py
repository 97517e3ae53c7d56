"""Starlette's TestClient, which runs an app in-process (its lifespan, HTTP and WebSocket).

Starlette 1.x asks for the httpx2 package under its TestClient, and warns when it finds httpx
(the project's HTTP client, the one the lock pins) instead; it works with both. The warning is
silenced here, at this one import, and nowhere else.
"""

from __future__ import annotations

import warnings

from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning)
    from starlette.testclient import TestClient, WebSocketTestSession

__all__ = ["TestClient", "WebSocketTestSession"]
