"""The running service: the Starlette app, its projections thread and its live feeds."""
