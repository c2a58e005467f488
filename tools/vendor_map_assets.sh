#!/bin/sh
# Install the map's JavaScript, CSS and base map from the npm registry into static/vendor, so the
# map is served by HelpMap itself: no CDN or tile server is contacted when someone views a page
# (privacy, offline). Run at install time by `make install`; the files are not committed.
# - leaflet: the map. jQuery is only for bench/apps/naive.py (folium's default page needs it).
# - The built-in base map, drawn when the site configures no tile server (helpmap/config.py):
#   world-atlas (Natural Earth 1:50m countries and land, public domain; 756 KB, 230 KB gzipped),
#   us-atlas (US Census Bureau cartographic state boundaries 2017, 1:10m; 115 KB, 36 KB gzipped)
#   and topojson-client (7 KB) to decode them in the browser. TopoJSON is about five times
#   smaller than the same outlines as GeoJSON, and decodes in about 0.1 s.
set -eu
dest=${1:-static/vendor}
packages="leaflet@1.9.4 jquery@3.7.1 topojson-client@3.1.0 world-atlas@2.0.2 us-atlas@3.0.1"

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq npm
  else
    echo "npm is needed to install the map assets (apt-get install npm)" >&2
    exit 1
  fi
fi

work=$(mktemp -d)
# Built beside the destination and swapped in at the end: a running site keeps a whole folder.
new="$dest.new.$$"
trap 'rm -rf "$work" "$new"' EXIT
(cd "$work" && npm pack --silent $packages >/dev/null)
mkdir -p "$new/leaflet" "$new/jquery" "$new/topojson-client" "$new/world-atlas" "$new/us-atlas"
unpack() {  # unpack PACKAGE-NAME: its files in $work/package
  rm -rf "$work/package" && tar -xzf "$work"/"$1"-[0-9]*.tgz -C "$work"
}
unpack leaflet && cp -r "$work"/package/dist/. "$new/leaflet/"
unpack jquery && cp "$work"/package/dist/jquery.min.js "$new/jquery/"
unpack topojson-client && cp "$work"/package/dist/topojson-client.min.js "$work"/package/LICENSE "$new/topojson-client/"
unpack world-atlas && cp "$work"/package/countries-50m.json "$work"/package/LICENSE "$new/world-atlas/"
unpack us-atlas && cp "$work"/package/states-10m.json "$work"/package/LICENSE "$new/us-atlas/"
echo "$packages" > "$new/.complete"
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.old" && { [ ! -e "$dest" ] || mv "$dest" "$dest.old"; } && mv "$new" "$dest" && rm -rf "$dest.old"
