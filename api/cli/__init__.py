"""The ``ledger`` command line: the parser (``main``) and one module per command group."""

from api.cli.main import main

__all__ = ["main"]
