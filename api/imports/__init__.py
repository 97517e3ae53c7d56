"""Reading 台账 workbooks back into the ledger (``ledger import``, ``ledger template``)."""
