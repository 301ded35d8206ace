# Sourced by `make test`: start Debian's PostgreSQL and export LPGP_TEST_POSTGRES_URL for the
# store tests. Set LPGP_TEST_POSTGRES_URL yourself to use another server; set it empty to skip.
if [ -z "${LPGP_TEST_POSTGRES_URL+x}" ]; then
  if command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
    if [ -z "$cluster" ]; then
      ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
      pg_createcluster "$ver" main >/dev/null
      cluster="$ver main"
    fi
    pg_ctlcluster $cluster start 2>/dev/null || true
    for _ in $(seq 1 30); do
      su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
      sleep 1
    done
    su postgres -c "psql -qtAc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='lpgp_test') THEN CREATE ROLE lpgp_test LOGIN SUPERUSER PASSWORD 'lpgp_test'; END IF; END \\\$\\\$;\"" >/dev/null
    port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
    export LPGP_TEST_POSTGRES_URL="postgresql+psycopg://lpgp_test:lpgp_test@127.0.0.1:${port}/postgres"
    echo "PostgreSQL for tests: cluster $cluster on port $port"
  else
    echo "PostgreSQL tests skipped: no local server (set LPGP_TEST_POSTGRES_URL to use one)"
  fi
fi
