"""``python -m api.cli``: the ``ledger`` command."""

import sys

from api.cli.main import main

sys.exit(main())
