#!/usr/bin/env bash
# Rebuild the initial migration from the current models (pre-release only: while the schema is
# still being written, one reviewed initial revision beats a pile of small ones).
# Deletes tenantvoice/migrations/versions/*.py, autogenerates against an empty SQLite file,
# then checks that upgrade → compare → downgrade round-trips (tests/test_migrations.py).
# Usage: tools/regen_migration.sh   (from anywhere in the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
FLASK=${FLASK:-.venv/bin/flask}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f tenantvoice/migrations/versions/*.py
export DATABASE_URL="sqlite:///$tmp/empty.sqlite3" SECRET_KEY=regen-migration-not-secret-0123456789
"$FLASK" --app wsgi db migrate -m "initial schema" >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
new=$(ls tenantvoice/migrations/versions/*.py)
echo "generated: $new"
"$PY" -m ruff format -q "$new" 2>/dev/null || true
"$PY" -m pytest -q -p no:cacheprovider tests/test_migrations.py
