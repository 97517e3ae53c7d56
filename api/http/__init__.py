"""The Starlette service over HTTP and WebSocket: it serves ``api.graphql``, never the reverse."""
