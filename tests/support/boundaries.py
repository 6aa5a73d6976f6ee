"""The shared NTT boundary file and ways to read and damage it, for the boundary tests of the warehouse and the
ingest layer and the map page's browser tests."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from tests.conftest import SHARED_DIR
from warehouse import boundaries

SHARED_GEOJSON = SHARED_DIR / "data" / "ntt_regencies.geojson"
CODES = tuple(boundaries.read_regencies()["code"])


def shared_frame() -> gpd.GeoDataFrame:
    return gpd.read_file(SHARED_GEOJSON)


def write_geojson(path: Path, frame: gpd.GeoDataFrame) -> Path:
    path.write_text(frame.to_json(drop_id=True), encoding="utf-8")
    return path


def ring_is_clockwise(ring: list) -> bool:
    """Shoelace sign on raw GeoJSON coordinates (lon, lat): negative area = clockwise."""
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))
    return area < 0


def exterior_rings(geojson: dict):
    """(code, exterior ring) of every polygon of a GeoJSON feature collection."""
    for feature in geojson["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            yield feature["properties"]["code"], polygon[0]
