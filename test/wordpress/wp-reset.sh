#!/bin/bash
# Put the database back to the snapshot wp-up.sh took (admin user, application password, plugin active).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${WORK:-$(cd "$HERE/../.." && pwd)/.wp-ci}
SQL="mariadb --defaults-file=$WORK/my.cnf"
$SQL -e 'DROP DATABASE IF EXISTS wptest; CREATE DATABASE wptest CHARACTER SET utf8mb4'
$SQL wptest < "$WORK/snapshot.sql"
DOCROOT=$(sed -n 's/^DOCROOT=//p' "$WORK/state.env")
find "$DOCROOT/wp-content/uploads" -mindepth 1 -delete 2>/dev/null || true
rm -f "$WORK"/log/http-*.jsonl "$WORK"/log/mail-*.jsonl
