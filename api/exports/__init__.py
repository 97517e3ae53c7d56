"""The 台账 as spreadsheets: the lists with Chinese headers, each row's 台账编号 and the
dates of its acts, written as .xlsx or as CSV with a BOM, for ``ledger export`` and
``GET /exports/{list}.xlsx`` alike."""
