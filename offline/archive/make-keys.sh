#!/bin/sh
# Makes the ledger's two keys in DIR, readable by their owner only, with the ledger's own
# code, never over a key already there: ledger.key, the personal-data key (base64 of 32
# random bytes; LEDGER_PERSONAL_DATA_KEY_FILE) and ledger-signing.pem, the Ed25519 signing
# key (PKCS#8 PEM; LEDGER_SIGNING_KEY_FILE). Keep a copy of both somewhere safe: names
# sealed under a lost personal-data key can never be read again.
#
#   ./make-keys.sh DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${LEDGER_VENV:-"$here/venv"}
dir=${1:?usage: make-keys.sh DIR}
umask 077
mkdir -p "$dir"
"$venv/bin/python" - "$dir" <<'KEYS'
import sys
from pathlib import Path

from api.keys.personal_data_cipher import key_file_of
from api.keys.signing_key_files import private_key_file_of

folder = Path(sys.argv[1])
for path, made_if_missing in (
    (folder / "ledger.key", key_file_of),
    (folder / "ledger-signing.pem", private_key_file_of),
):
    what = "there already, kept" if path.exists() else "made"
    made_if_missing(path)
    print(f"make-keys.sh: {path}: {what}", file=sys.stderr)
KEYS
