#!/bin/bash
# Stop what wp-up.sh started: signal the process groups (php -S workers survive a kill of the parent).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${WORK:-$(cd "$HERE/../.." && pwd)/.wp-ci}
for f in php-server.pid mysqld.launch.pid; do
  if [ -s "$WORK/$f" ]; then
    echo "[wp-down] stopping process group $(cat "$WORK/$f") ($f)"
    kill -TERM -- "-$(cat "$WORK/$f")" 2>/dev/null
  fi
  rm -f "$WORK/$f"
done
for i in $(seq 100); do [ -e "$WORK/mysqld.pid" ] || break; sleep 0.1; done
true
