# Helpers shared by scripts/demo and scripts/test (sourced, not run).
# shellcheck shell=bash

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PYTHON=${ODOO_PYTHON:-python3}

die() { printf 'error: %s\n' "$*" >&2; exit 2; }
say() { printf '%s\n' "$*" >&2; }

# Odoo 19 must be importable by $ODOO_PYTHON (python3 by default).
check_odoo() {
    if ! command -v "$ODOO_PYTHON" >/dev/null 2>&1; then
        die "'$ODOO_PYTHON' not found. Set ODOO_PYTHON to the Python that has Odoo 19 installed."
    fi
    local version
    if ! version=$("$ODOO_PYTHON" -c 'import odoo.release as r; print(r.serie)' 2>/dev/null); then
        die "Odoo cannot be imported by '$ODOO_PYTHON'.
  Install Odoo 19.0 Community (its requirements.txt, then 'pip install -e <odoo checkout>'),
  or point ODOO_PYTHON at the Python of an existing Odoo 19 installation
  (e.g. ODOO_PYTHON=/opt/odoo/venv/bin/python3 scripts/test)."
    fi
    case "$version" in
        19.0*) ;;
        *) die "Odoo $version found, but credit_dunning needs Odoo 19.0." ;;
    esac
    # pip's default editable install adds a path hook to odoo.addons.__path__,
    # which Odoo logs as a warning at every start: the tests, which fail on
    # any warning in Odoo's log, would fail on it
    local hook
    hook=$("$ODOO_PYTHON" -c 'import os, odoo.addons
print(next((p for p in odoo.addons.__path__ if not os.path.isdir(p)), ""))' 2>/dev/null || true)
    if [ -n "$hook" ]; then
        die "odoo.addons.__path__ holds '$hook', which is no directory: Odoo logs
  \"addons path is not a directory\" at every start. Reinstall Odoo from its checkout with
  pip install --no-deps -e <checkout> --config-settings editable_mode=compat"
    fi
}

# A reachable PostgreSQL where the current user may create databases.
# Starts the local cluster when none answers.
ensure_postgres() {
    if ! command -v pg_isready >/dev/null 2>&1; then
        for dir in /usr/lib/postgresql/*/bin; do
            [ -x "$dir/pg_isready" ] && PATH="$PATH:$dir"
        done
    fi
    command -v pg_isready >/dev/null 2>&1 || die "PostgreSQL client tools not found: install PostgreSQL 13+ (Debian: apt-get install postgresql)."
    if ! pg_isready -q; then
        if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
            say "Starting the local PostgreSQL cluster..."
            pg_lsclusters -h | while read -r ver name _; do
                if [ "$(id -u)" = 0 ]; then
                    pg_ctlcluster "$ver" "$name" start || true
                else
                    pg_ctlcluster "$ver" "$name" start 2>/dev/null || sudo -n pg_ctlcluster "$ver" "$name" start || true
                fi
            done
        elif [ "$(id -u)" = 0 ] && command -v pg_createcluster >/dev/null 2>&1; then
            say "Creating and starting a PostgreSQL cluster..."
            ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
            pg_createcluster "$ver" main --start >/dev/null
        fi
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL is not reachable and could not be started. Start it, or set PGHOST/PGPORT."
    fi
    # Odoo refuses to run as the 'postgres' role: use one named after the user.
    if ! psql -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then
            su postgres -c "createuser --superuser '$(id -un)'" >/dev/null
        else
            die "PostgreSQL refuses the role '$(id -un)'. Create it: sudo -u postgres createuser --createdb '$(id -un)'"
        fi
    fi
}

# Odoo finds the addon by its technical name: expose the checkout as
# credit_dunning in a folder of its own, whatever the clone is called, and
# its Inventory bridge (installed by itself where sale_stock is) beside it.
make_addons_dir() {
    ADDONS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/credit_dunning_addons.XXXXXX")
    ln -s "$REPO_DIR" "$ADDONS_DIR/credit_dunning"
    # the bridges (Inventory, webshop, Point of Sale): auto-installed addons
    local bridge
    for bridge in "$REPO_DIR"/bridges/*/; do
        ln -s "${bridge%/}" "$ADDONS_DIR/$(basename "$bridge")"
    done
    # Odoo's own addons: inside the odoo package (wheel installs) and the
    # addons/ folder of a source checkout.
    ODOO_ADDONS_PATH=$("$ODOO_PYTHON" - <<'PY'
import os
import odoo.addons
paths = [p for p in odoo.addons.__path__ if os.path.isdir(p)]
for base in list(paths):
    checkout_addons = os.path.join(os.path.dirname(os.path.dirname(base)), "addons")
    if os.path.isdir(os.path.join(checkout_addons, "account")) and checkout_addons not in paths:
        paths.append(checkout_addons)
print(",".join(paths))
PY
)
    ODOO_ADDONS_PATH="$ODOO_ADDONS_PATH,$ADDONS_DIR"
}
