"""The Folium map that mirrors the result list.

Privacy and offline: folium's default page pulls Leaflet, jQuery, Bootstrap and fonts from
public CDNs. Every map here lists only files that HelpMap serves itself (installed from the npm
registry into static/vendor), so the only outside host a visitor's browser contacts is the
tile server the site configured. When tiles cannot load, markers, clusters and popups still do.

Safety: folium renders every element's output a second time as a Jinja2 template (see
helpmap/inert.py), so no text from a data file or the site config is ever handed to folium as a
value it would write into a script itself. Marker data and the tile layer's address and
attribution go through `inert_json` (no braces or percent signs, no <, >, & or quotes), and
popups and tooltips are built in the browser with DOM nodes and `textContent`, so no data text
is ever parsed as a template, as HTML or as JavaScript.
"""

from __future__ import annotations

import math
import folium
import pandas as pd
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from folium.raster_layers import TileLayer
from folium.template import Template

from .config import TileSettings
from .inert import attribution_html, inert_json
from .schema import KM_PER_MILE

ASSET_BASE = "/app/static/vendor"  # where Streamlit's static serving exposes static/vendor
MAP_JS = [
    ("leaflet", f"{ASSET_BASE}/leaflet/leaflet.js"),
    ("jquery", f"{ASSET_BASE}/jquery/jquery.min.js"),  # folium's own templates call $()
]
MAP_CSS = [("leaflet_css", f"{ASSET_BASE}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{ASSET_BASE}/markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{ASSET_BASE}/markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{ASSET_BASE}/markercluster/MarkerCluster.Default.css"),
]

# Colour AND a letter and shape per kind, so colour is never the only signal.
KIND_STYLES = {
    "treatment": ("#1f5fa8", "T", "50%"),
    "support_group": ("#1b7f4c", "S", "4px"),
    "harm_reduction": ("#8a4b08", "H", "50% 50% 50% 0"),
    "helpline": ("#6b3fa0", "L", "50%"),
}
KIND_LABELS = {
    "treatment": "Treatment",
    "support_group": "Support group",
    "harm_reduction": "Harm reduction",
    "helpline": "Help line",
}


# A JavaScript function that turns one data row into a marker. Rows are
# [lat, lon, kind, name, area, distance, status, phone]. Only textContent is used for data.
MARKER_CALLBACK = """
function (row) {
    var styles = %(styles)s;
    var labels = %(labels)s;
    var style = styles[row[2]] || ["#444", "?", "50%%"];
    var badge = '<span style="display:flex;align-items:center;justify-content:center;width:26px;height:26px;'
        + 'background:' + style[0] + ';border-radius:' + style[2] + ';border:2px solid #fff;'
        + 'box-shadow:0 1px 3px rgba(0,0,0,.5);color:#fff;font:bold 14px sans-serif">'
        + style[1] + '</span>';
    var icon = L.divIcon({html: badge, className: "helpmap-marker", iconSize: [30, 30], iconAnchor: [15, 15]});
    var marker = L.marker(new L.LatLng(row[0], row[1]), {icon: icon, title: row[3], alt: row[3]});
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = row[3];
    box.appendChild(title);
    var lines = [labels[row[2]] || "", row[4], row[5], row[6], row[7]];
    for (var i = 0; i < lines.length; i++) {
        if (!lines[i]) { continue; }
        var line = document.createElement("div");
        line.textContent = lines[i];
        box.appendChild(line);
    }
    marker.bindPopup(box);
    var tip = document.createElement("span");
    tip.textContent = row[3];
    marker.bindTooltip(tip);
    return marker;
}
"""


class DefaultIconPath(MacroElement):
    """Point Leaflet's default marker images at our copy (st_folium drops <head> scripts)."""

    _template = Template(
        "{% macro script(this, kwargs) %}L.Icon.Default.imagePath = {{ this.path|tojson }};{% endmacro %}"
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "DefaultIconPath"
        self.path = path


class InertMarkerCluster(FastMarkerCluster):
    """FastMarkerCluster whose data is written as inert JSON (folium's `tojson` keeps braces)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                {{ this.callback }}
                var data = {{ this.data_inert }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                for (var i = 0; i < data.length; i++) {
                    callback(data[i]).addTo(cluster);
                }
                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, rows: list[list], callback: str, **options) -> None:
        super().__init__([], callback=callback, **options)
        self.data_inert = inert_json(rows)


class InertTileLayer(TileLayer):
    """A tile layer whose address and attribution (site config text) are written as inert JSON,
    and whose attribution keeps only plain text and plain http(s) links."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.tileLayer(
                {{ this.url_inert }},
                {maxZoom: {{ this.max_zoom_value }}, attribution: {{ this.attribution_inert }}}
            );
        {% endmacro %}"""
    )

    def __init__(self, url: str, attribution: str, max_zoom: int = 19) -> None:
        super().__init__(tiles=url, attr="-", max_zoom=max_zoom, name="map")
        self.url_inert = inert_json(url)
        self.attribution_inert = inert_json(attribution_html(attribution))
        self.max_zoom_value = int(max_zoom)


def _js_object(mapping: dict) -> str:
    import json

    return json.dumps(mapping)


def marker_rows(results: pd.DataFrame, distance_unit: str = "km") -> list[list]:
    rows = []
    for _, row in results.iterrows():
        rows.append(
            [
                float(row["latitude"]),
                float(row["longitude"]),
                str(row["kind"]),
                str(row["name"]),
                area_text(row),
                format_distance(row.get("distance_km"), distance_unit),
                str(row.get("status", "") or ""),
                str(row["phone"]),
            ]
        )
    return rows


def area_text(row) -> str:
    """The address, or only the town when the listing asks to stay approximate."""
    area = ", ".join(v for v in (row["city"], row["region"], row["postcode"] if row["approximate"] != "yes" else "") if v)
    if row["approximate"] == "yes" or not row["address"]:
        return area
    return f"{row['address']}, {area}" if area else row["address"]


def format_distance(distance_km, unit: str = "km") -> str:
    if distance_km is None or (isinstance(distance_km, float) and math.isnan(distance_km)):
        return ""
    if unit == "mi":
        return f"{distance_km / KM_PER_MILE:.1f} mi away"
    return f"{distance_km:.1f} km away"


def build_map(
    results: pd.DataFrame,
    center: tuple[float, float],
    radius_km: float | None = None,
    tiles: TileSettings = TileSettings(),
    distance_unit: str = "km",
) -> folium.Map:
    """A map of `results` (rows with latitude/longitude), the searcher's point and the radius."""
    fmap = folium.Map(location=center, zoom_start=11, tiles=None, control_scale=True, prefer_canvas=False)
    fmap.default_js, fmap.default_css = MAP_JS, MAP_CSS
    DefaultIconPath(f"{ASSET_BASE}/leaflet/images/").add_to(fmap)
    InertTileLayer(tiles.url, tiles.attribution).add_to(fmap)

    if radius_km:
        folium.Circle(
            location=center, radius=radius_km * 1000, color="#1f5fa8", weight=1, fill=True, fill_opacity=0.04,
            interactive=False,
        ).add_to(fmap)  # fmt: skip
    folium.CircleMarker(
        location=center, radius=8, color="#ffffff", weight=3, fill=True, fill_color="#d12d2d", fill_opacity=1,
        tooltip=folium.Tooltip("Your search", sticky=False),
    ).add_to(fmap)  # fmt: skip

    placed = results[results["latitude"].notna()] if len(results) else results
    if len(placed):
        callback = MARKER_CALLBACK % {"styles": _js_object(KIND_STYLES), "labels": _js_object(KIND_LABELS)}
        cluster = InertMarkerCluster(
            marker_rows(placed, distance_unit), callback=callback, name="services",
            disableClusteringAtZoom=15, maxClusterRadius=40,
        )  # fmt: skip
        cluster.default_js, cluster.default_css = CLUSTER_JS, CLUSTER_CSS
        cluster.add_to(fmap)
    fmap.fit_bounds(_bounds(placed, center, radius_km if not len(placed) else None))
    return fmap


def _bounds(placed: pd.DataFrame, center: tuple[float, float], radius_km: float | None) -> list[list[float]]:
    lats = [center[0], *placed["latitude"].tolist()] if len(placed) else [center[0]]
    lons = [center[1], *placed["longitude"].tolist()] if len(placed) else [center[1]]
    if radius_km:  # nothing to show: fit the search circle
        dlat = math.degrees(radius_km / 6371.0)
        dlon = dlat / max(math.cos(math.radians(center[0])), 0.01)
        lats += [center[0] - dlat, center[0] + dlat]
        lons += [center[1] - dlon, center[1] + dlon]
    pad = 0.005
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]


def map_html(fmap: folium.Map) -> str:
    return fmap.get_root().render()
