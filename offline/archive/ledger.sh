#!/bin/sh
# The `ledger` command installed by install.sh, with the settings of ledger.env (a copy of
# ledger.env.example beside this script; LEDGER_ENV_FILE names another file, LEDGER_VENV
# another environment). Without a LEDGER_ENV it runs as in production.
#
#   ./ledger.sh serve                       the service, on LEDGER_HOST:LEDGER_PORT
#   ./ledger.sh seed changxing-2021 --if-empty
#   ./ledger.sh token create --role office --name "督办办公室"
#   ./ledger.sh --help                      every command
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${LEDGER_VENV:-"$here/venv"}
settings=${LEDGER_ENV_FILE:-"$here/ledger.env"}
if [ -f "$settings" ]; then
  set -a
  . "$settings"
  set +a
fi
export LEDGER_ENV="${LEDGER_ENV:-production}"
if [ "${1-}" = serve ]; then
  shift
  set -- serve --host "${LEDGER_HOST:-127.0.0.1}" --port "${LEDGER_PORT:-8000}" "$@"
fi
exec "$venv/bin/ledger" "$@"
