<?php
// Router for `php -S`: real files are served as usual; everything else (including dotted paths such as
// /favicon.ico, which the built-in server would 404 itself) goes to WordPress's index.php.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/';
if ($path !== '/' && is_file($_SERVER['DOCUMENT_ROOT'] . rawurldecode($path))) {
    return false;
}
if ($path !== '/' && is_dir($_SERVER['DOCUMENT_ROOT'] . rawurldecode($path)) && is_file($_SERVER['DOCUMENT_ROOT'] . rtrim(rawurldecode($path), '/') . '/index.php')) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
