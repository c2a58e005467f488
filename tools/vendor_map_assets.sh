#!/bin/sh
# Install the map's JavaScript and CSS from the npm registry into static/vendor, so the map is
# served by HelpMap itself: no CDN is contacted when someone views a page (privacy, offline).
# Run at install time by `make install`; the files are not committed. jQuery is only for
# bench/apps/naive.py (folium's default page needs it); HelpMap's own map uses Leaflet alone.
set -eu
dest=${1:-static/vendor}
packages="leaflet@1.9.4 jquery@3.7.1"

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq npm
  else
    echo "npm is needed to install the map assets (apt-get install npm)" >&2
    exit 1
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent $packages >/dev/null)
rm -rf "$dest"
mkdir -p "$dest/leaflet" "$dest/jquery"
tar -xzf "$work"/leaflet-*.tgz -C "$work" && cp -r "$work"/package/dist/. "$dest/leaflet/" && rm -rf "$work/package"
tar -xzf "$work"/jquery-*.tgz -C "$work" && cp "$work"/package/dist/jquery.min.js "$dest/jquery/" && rm -rf "$work/package"
echo "$packages" > "$dest/.complete"
