#!/usr/bin/env bash
# Fetch the front-end assets from the npm registry at install time (never from a CDN at run time).
set -euo pipefail
dest="src/xieshang/web/static/vendor"
stamp="$dest/.versions"
want="bootstrap@5.3.8 echarts@6.1.0"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent $want >/dev/null)
mkdir -p "$dest/bootstrap" "$dest/echarts"
tar -xzf "$tmp"/bootstrap-5.3.8.tgz -C "$tmp" package/dist/css/bootstrap.min.css package/dist/js/bootstrap.bundle.min.js package/LICENSE
cp "$tmp/package/dist/css/bootstrap.min.css" "$tmp/package/dist/js/bootstrap.bundle.min.js" "$tmp/package/LICENSE" "$dest/bootstrap/"
rm -rf "$tmp/package"
tar -xzf "$tmp"/echarts-6.1.0.tgz -C "$tmp" package/dist/echarts.min.js package/LICENSE
cp "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$dest/echarts/"
echo "$want" > "$stamp"
echo "vendored $want into $dest"
