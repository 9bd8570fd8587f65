#!/bin/bash
# Bring up a throw-away WordPress 6.1 (files from Debian's `wordpress` package) for the plugin tests:
# PHP 8.2's built-in server + a private MariaDB, both on 127.0.0.1, everything under $WORK.
# Idempotent: a second run reuses what is already there and running, and only starts what is not.
#
#   WORK        where everything lives (default: <repo>/.wp-ci, git-ignored)
#   DB_PORT     private MariaDB port (default: a free port, remembered in $WORK/state.env)
#   WP_PORT     PHP server port (default: a free port, remembered in $WORK/state.env)
#   --fresh     install WordPress into an empty database again (and take a new snapshot)
#   WORDPRESS_DIR + WOOCOMMERCE_DIR   real-WooCommerce mode for the opt-in suite (WORK defaults to
#               .wp-ci/real-wc): copies that core and plugin instead of Debian's 6.1 and the double
#
# Writes $WORK/state.env (WP_URL, ports, admin user, application password) for the tests.
#
# Why a private mariadbd instead of the machine's MariaDB on 127.0.0.1:3306: the tests drop and
# restore their database between files and kill servers on purpose; a private datadir on its own
# port cannot touch anybody else's data, needs no credentials of the machine's server, and behaves
# the same on a machine where no MariaDB runs (only the mariadb-server-core binaries are needed).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# Real-WooCommerce mode (the opt-in suite): WORDPRESS_DIR = a WordPress core tree (6.7+),
# WOOCOMMERCE_DIR = an unpacked WooCommerce plugin. Both are copied into $WORK, never changed.
REAL_WC=""
if [ -n "${WORDPRESS_DIR:-}${WOOCOMMERCE_DIR:-}" ]; then
  [ -f "${WORDPRESS_DIR:-}/wp-settings.php" ] || { echo "[wp-up] WORDPRESS_DIR must point at a WordPress core tree (got '${WORDPRESS_DIR:-}')" >&2; exit 1; }
  [ -f "${WOOCOMMERCE_DIR:-}/woocommerce.php" ] || { echo "[wp-up] WOOCOMMERCE_DIR must point at an unpacked WooCommerce plugin (got '${WOOCOMMERCE_DIR:-}')" >&2; exit 1; }
  REAL_WC=1
fi
WORK=${WORK:-$REPO/.wp-ci${REAL_WC:+/real-wc}}
PLUGIN_DIR=$REPO/plugin
PLUGIN_SLUG=rackbeat-connector
ADMIN_USER=admin
ADMIN_PASS=${ADMIN_PASS:-admin-pass-123}
mkdir -p "$WORK/log"

t0=$(date +%s%N)
lap() { local ms=$(( ($(date +%s%N) - t0) / 1000000 )); printf "[wp-up] %4d.%03ds %s\n" $((ms/1000)) $((ms%1000)) "$*"; }
say() { echo "[wp-up]           $*"; }
# a daemon in its own process group; the pid file holds the group id (works with or without job control)
start_bg() { local pidfile=$1; shift; setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" < /dev/null & }
group_alive() { [ -s "$1" ] && kill -0 -- "-$(cat "$1")" 2>/dev/null; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# ---------------------------------------------------------------------------------------------
# 1. system packages (test/wordpress/packages.txt): PHP CLI + extensions, MariaDB server binaries + client
need=()
for p in $(sed 's/#.*//' "$HERE/packages.txt") ${REAL_WC:+php8.2-bcmath}; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "[wp-up] missing Debian packages; run as root:" >&2
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${need[*]}" >&2
    exit 1
  fi
  say "installing ${need[*]} (apt log: $WORK/log/apt.log)"
  apt-get update -qq >"$WORK/log/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >>"$WORK/log/apt.log" 2>&1
fi
lap "apt packages present"

# ---------------------------------------------------------------------------------------------
# 2. WordPress files: unpack the .debs into one private root so their relative symlinks resolve
if [ -n "$REAL_WC" ]; then
  DOCROOT=$WORK/docroot
  source_id="$(realpath "$WORDPRESS_DIR"):$(realpath "$WOOCOMMERCE_DIR")"
  if [ ! -f "$DOCROOT/wp-settings.php" ] || [ "$(cat "$WORK/source.txt" 2>/dev/null)" != "$source_id" ]; then
    say "copying WordPress from $WORDPRESS_DIR and WooCommerce from $WOOCOMMERCE_DIR into $WORK"
    rm -rf "$DOCROOT" && mkdir -p "$DOCROOT"
    cp -a "$WORDPRESS_DIR/." "$DOCROOT/"
    mkdir -p "$DOCROOT/wp-content/plugins"
    cp -a "$WOOCOMMERCE_DIR" "$DOCROOT/wp-content/plugins/woocommerce"
    # real-woocommerce.md gotcha 1: a case-only file name in the 10.0.2 build
    wc_src="$DOCROOT/wp-content/plugins/woocommerce/src/Caching"
    [ -f "$wc_src/WpCacheEngine.php" ] && [ ! -f "$wc_src/WPCacheEngine.php" ] && cp "$wc_src/WpCacheEngine.php" "$wc_src/WPCacheEngine.php"
    echo "$source_id" > "$WORK/source.txt"
  fi
fi
DOCROOT=${DOCROOT:-$WORK/root/usr/share/wordpress}
if [ -z "$REAL_WC" ] && [ ! -f "$DOCROOT/wp-settings.php" ]; then
  say "downloading and unpacking Debian's wordpress 6.1 .debs into $WORK/root"
  mkdir -p "$WORK/debs"
  debs="wordpress wordpress-theme-twentytwentythree libjs-underscore libjs-cropper php-getid3"
  (cd "$WORK/debs" && { apt-get download -qq $debs 2>/dev/null || { apt-get update -qq && apt-get download -qq $debs 2>/dev/null; }; })
  for d in "$WORK"/debs/*.deb; do dpkg -x "$d" "$WORK/root"; done
fi
lap "wordpress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$DOCROOT/wp-includes/version.php") unpacked"

# ---------------------------------------------------------------------------------------------
# 3. ports (remembered, so a re-run finds the running servers again)
[ -f "$WORK/state.env" ] && . "$WORK/state.env"
DB_PORT=${DB_PORT:-$(free_port)}
WP_PORT=${WP_PORT:-$(free_port)}
URL=http://127.0.0.1:$WP_PORT

# our own wp-config.php replaces Debian's /etc/wordpress loader
if [ ! -f "$WORK/salts.php" ]; then
  {
    echo '<?php'
    for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
      echo "define('$k', '$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')');"
    done
  } > "$WORK/salts.php"
fi
cat > "$DOCROOT/wp-config.php" <<PHP
<?php
// written by test/wordpress/wp-up.sh
define('DB_NAME', 'wptest'); define('DB_USER', 'wptest'); define('DB_PASSWORD', 'wptest');
define('DB_HOST', '127.0.0.1:$DB_PORT'); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
\$table_prefix = 'wp_';
require '$WORK/salts.php';
define('WP_HOME', '$URL'); define('WP_SITEURL', '$URL');
define('WP_ENVIRONMENT_TYPE', 'local');      // application passwords over plain http
define('WP_HTTP_BLOCK_EXTERNAL', true);      // no outbound HTTP except to this host (loopback)
define('DISABLE_WP_CRON', true);             // the tests run wp-cron.php themselves
define('AUTOMATIC_UPDATER_DISABLED', true); define('FS_METHOD', 'direct');
define('WP_DEBUG', true); define('WP_DEBUG_DISPLAY', false); define('WP_DEBUG_LOG', '$WORK/log/wp-debug.log');
define('RBC_TEST_WORK', '$WORK');
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
PHP
mkdir -p "$DOCROOT/wp-content/uploads" "$DOCROOT/wp-content/plugins" "$DOCROOT/wp-content/mu-plugins"
ln -sfn "$PLUGIN_DIR" "$DOCROOT/wp-content/plugins/$PLUGIN_SLUG"
# the WooCommerce double and the test helpers (documented in test/wordpress/README.md)
find "$DOCROOT/wp-content/mu-plugins" -maxdepth 1 -type l -delete
for f in "$HERE"/mu-plugins/*.php; do
  [ -e "$f" ] || continue
  [ -n "$REAL_WC" ] && [ "$(basename "$f")" = woocommerce-double.php ] && continue   # real WooCommerce instead
  ln -sfn "$f" "$DOCROOT/wp-content/mu-plugins/$(basename "$f")"; done

# ---------------------------------------------------------------------------------------------
# 4. private MariaDB on 127.0.0.1:$DB_PORT
cat > "$WORK/my.cnf" <<CNF
[mysqld]
datadir=$WORK/mysql
socket=$WORK/mysqld.sock
pid-file=$WORK/mysqld.pid
port=$DB_PORT
bind-address=127.0.0.1
user=root
skip-name-resolve
skip-log-bin
innodb_buffer_pool_size=64M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
log-error=$WORK/log/mysqld.err
[client]
socket=$WORK/mysqld.sock
user=root
CNF
SQL="mariadb --defaults-file=$WORK/my.cnf"
if ! mariadb-admin --defaults-file="$WORK/my.cnf" ping >/dev/null 2>&1; then
  if [ ! -d "$WORK/mysql/mysql" ]; then
    say "initialising a private MariaDB datadir in $WORK/mysql"
    mariadb-install-db --defaults-file="$WORK/my.cnf" --auth-root-authentication-method=normal --skip-test-db --force \
      >"$WORK/log/install-db.log" 2>&1
  fi
  say "starting mariadbd on 127.0.0.1:$DB_PORT"
  start_bg "$WORK/mysqld.launch.pid" mariadbd --defaults-file="$WORK/my.cnf" >"$WORK/log/mysqld.out" 2>&1
  for i in $(seq 150); do mariadb-admin --defaults-file="$WORK/my.cnf" ping >/dev/null 2>&1 && break; sleep 0.1; done
  mariadb-admin --defaults-file="$WORK/my.cnf" ping >/dev/null 2>&1 || { echo "[wp-up] mariadbd did not start; see $WORK/log/mysqld.err" >&2; exit 1; }
fi
$SQL -e "CREATE DATABASE IF NOT EXISTS wptest CHARACTER SET utf8mb4;
         CREATE USER IF NOT EXISTS 'wptest'@'127.0.0.1' IDENTIFIED BY 'wptest';
         GRANT ALL ON wptest.* TO 'wptest'@'127.0.0.1';"
lap "mariadb up on 127.0.0.1:$DB_PORT"

# ---------------------------------------------------------------------------------------------
# 5. PHP built-in server: several workers, since WordPress calls itself over HTTP
if ! group_alive "$WORK/php-server.pid" || ! curl -s -o /dev/null "$URL/wp-login.php"; then
  [ -s "$WORK/php-server.pid" ] && kill -TERM -- "-$(cat "$WORK/php-server.pid")" 2>/dev/null || true
  say "starting php -S 127.0.0.1:$WP_PORT (PHP_CLI_SERVER_WORKERS=4)"
  start_bg "$WORK/php-server.pid" env PHP_CLI_SERVER_WORKERS=4 php -d memory_limit=512M -d display_errors=0 \
      -S 127.0.0.1:$WP_PORT -t "$DOCROOT" "$HERE/router.php" >>"$WORK/log/php-server.log" 2>&1
  for i in $(seq 100); do curl -s -o /dev/null "$URL/wp-login.php" && break; sleep 0.1; done
fi
lap "php server up at $URL"

# ---------------------------------------------------------------------------------------------
# 6. install WordPress (only when not installed yet; the snapshot marks a finished install)
cat > "$WORK/state.env" <<ENV
WORK=$WORK
DB_PORT=$DB_PORT
WP_PORT=$WP_PORT
WP_URL=$URL
DOCROOT=$DOCROOT
ADMIN_USER=$ADMIN_USER
ADMIN_PASS=$ADMIN_PASS
REAL_WC=$REAL_WC
ENV
[ "${1:-}" = "--fresh" ] && rm -f "$WORK/snapshot.sql"
if [ -s "$WORK/snapshot.sql" ] && [ -s "$WORK/app-password.txt" ] && \
   [ "$($SQL -N wptest -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='wptest' AND table_name='wp_options'")" = 1 ]; then
  echo "APP_PASSWORD='$(cat "$WORK/app-password.txt")'" >> "$WORK/state.env"
  lap "already installed; reusing (snapshot $WORK/snapshot.sql)"
  exit 0
fi
say "installing WordPress"
$SQL -e "DROP DATABASE IF EXISTS wptest; CREATE DATABASE wptest CHARACTER SET utf8mb4;"
curl -sf -o "$WORK/log/install.html" "$URL/wp-admin/install.php?step=2" \
  --data-urlencode weblog_title="Rackbeat CI shop" --data-urlencode user_name=$ADMIN_USER \
  --data-urlencode admin_password="$ADMIN_PASS" --data-urlencode admin_password2="$ADMIN_PASS" \
  --data-urlencode pw_weak=1 --data-urlencode admin_email=admin@example.com --data-urlencode blog_public=0
grep -q '<h1>Success!</h1>' "$WORK/log/install.html" || { echo "[wp-up] install failed; see $WORK/log/install.html" >&2; exit 1; }
$SQL wptest -e "UPDATE wp_options SET option_value='/%postname%/' WHERE option_name='permalink_structure';
                DELETE FROM wp_options WHERE option_name='rewrite_rules';
                UPDATE wp_options SET option_value='0' WHERE option_name='show_avatars';"
lap "wordpress installed"

# 7. application password for REST (cookie login + REST nonce), then activate the plugin through REST
rm -f "$WORK/cookies.txt"
curl -sf -c "$WORK/cookies.txt" -b 'wordpress_test_cookie=WP%20Cookie%20check' -o /dev/null \
  --data-urlencode log=$ADMIN_USER --data-urlencode pwd="$ADMIN_PASS" --data-urlencode testcookie=1 "$URL/wp-login.php"
NONCE=$(curl -sf -b "$WORK/cookies.txt" "$URL/wp-admin/admin-ajax.php?action=rest-nonce")
curl -sf -b "$WORK/cookies.txt" -H "X-WP-Nonce: $NONCE" -d name=ci "$URL/wp-json/wp/v2/users/me/application-passwords" \
  | php -r 'echo json_decode(stream_get_contents(STDIN))->password;' > "$WORK/app-password.txt"
AUTH="$ADMIN_USER:$(cat "$WORK/app-password.txt")"
curl -sf -u "$AUTH" "$URL/wp-json/wp/v2/users/me" >/dev/null
if [ -n "$REAL_WC" ]; then
  curl -sf -u "$AUTH" -d status=active "$URL/wp-json/wp/v2/plugins/woocommerce/woocommerce" -o "$WORK/log/activate-wc.json" \
    || { echo "[wp-up] WooCommerce activation failed:" >&2; cat "$WORK/log/activate-wc.json" >&2; exit 1; }
  curl -sf -o /dev/null "$URL/wp-json/" # a front-end request lets WooCommerce's installer run (no admin request: HPOS stays off)
  lap "WooCommerce $(sed -n 's/^ \* Version: *//p' "$DOCROOT/wp-content/plugins/woocommerce/woocommerce.php") active"
fi
curl -sf -u "$AUTH" -d status=active "$URL/wp-json/wp/v2/plugins/$PLUGIN_SLUG/$PLUGIN_SLUG" -o "$WORK/log/activate.json" \
  || { echo "[wp-up] plugin activation failed:" >&2; cat "$WORK/log/activate.json" >&2; exit 1; }
echo "APP_PASSWORD='$(cat "$WORK/app-password.txt")'" >> "$WORK/state.env"
lap "application password created, plugin $PLUGIN_SLUG active"

# 8. snapshot for fast resets between test files
mariadb-dump --defaults-file="$WORK/my.cnf" --single-transaction wptest > "$WORK/snapshot.sql"
lap "snapshot taken; WordPress ready at $URL"
