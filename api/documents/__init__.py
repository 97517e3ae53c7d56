"""The ledger's documents on paper: the monthly 督办通报, the 约谈通知书 and the 移交函, each
as a PDF with its Chinese font embedded and the ledger's seal as it stood when it was made.
Free of HTTP: ``making.make_document`` is called by the CLI and the service alike."""
