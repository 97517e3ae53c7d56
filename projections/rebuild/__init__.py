"""Rebuilding projections from scratch, fast: what only ``ledger rebuild`` needs.

A rebuild owns its process (or its worker processes): it may pause the garbage
collector and leave the indexes out until the tables are full, which a server, whose
runner shares its process and its tables with requests, must never do. The server
never imports this package (a test checks it).

- ``projections.rebuild.from_scratch``: one projection after another, in this process;
- ``projections.rebuild.workers``: the projections shared out among worker processes.
"""
