"""Kabupaten/kota boundaries, reference data beside the regencies table: read, validate and orient the GeoJSON at
BOUNDARIES_PATH for the map (`ingest/boundaries.py` obtains the file)."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from settings import PROJECT_DIR

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

REGENCIES_CSV = PROJECT_DIR / "data" / "regencies.csv"
# NTT with a margin: a boundary file must lie inside it (and a national file is cut to it before the name join).
NTT_BOX = (118.5, -11.5, 125.6, -7.5)  # min lon, min lat, max lon, max lat
# Attribution of the development file (../shared/data/SOURCE.md), recognised by its properties.
WILAYAH_BOUNDARIES = "wilayah_boundaries"
GEOBOUNDARIES = "geoboundaries"


class BoundaryError(ValueError):
    """A boundary file that cannot be used, with a reason a person can act on."""


@dataclass(frozen=True)
class Boundaries:
    """A validated boundary file, ready for Plotly (`featureidkey="properties.code"`)."""

    path: Path
    geojson: dict  # FeatureCollection; each feature has properties.code (and name)
    codes: tuple[str, ...]
    source: str | None  # "wilayah_boundaries", "geoboundaries" or None (unknown)
    attribution: str | None  # text the file itself carries, if any
    box: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    version: str = ""  # changes when the file does (modification time and size), for cache-busting URLs


# ---------------------------------------------------------------------------------------------------------------
# loading and validation

def validate(frame: gpd.GeoDataFrame, codes) -> gpd.GeoDataFrame:
    """Check a boundary frame: a `code` column holding exactly `codes` once each, valid non-empty geometries,
    EPSG:4326 (another CRS is reprojected), inside NTT. Returns the frame (reprojected); raises BoundaryError."""
    import shapely
    expected = {str(c) for c in codes}
    if "code" not in frame.columns:
        raise BoundaryError("features have no `code` property (Kemendagri code, e.g. 5371)")
    got = frame["code"].astype("string").str.strip()
    dupes = sorted(set(got[got.duplicated()].dropna()))
    if dupes:
        raise BoundaryError(f"code(s) appear more than once: {', '.join(dupes)}")
    missing = sorted(expected - set(got.dropna()))
    extra = sorted(set(got.dropna()) - expected)
    if len(frame) != len(expected) or missing or extra:
        parts = [f"{len(frame)} features, expected {len(expected)}"]
        if missing:
            parts.append(f"missing code(s) {', '.join(missing)}")
        if extra:
            parts.append(f"unknown code(s) {', '.join(extra)}")
        raise BoundaryError("; ".join(parts))
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    geoms = frame.geometry
    empty = frame.loc[geoms.isna() | geoms.is_empty, "code"].tolist()
    if empty:
        raise BoundaryError(f"empty geometry for code(s) {', '.join(map(str, empty))}")
    wrong_type = frame.loc[~geoms.geom_type.isin(["Polygon", "MultiPolygon"]), "code"].tolist()
    if wrong_type:
        raise BoundaryError(f"geometry is not a (multi)polygon for code(s) {', '.join(map(str, wrong_type))}")
    invalid = frame.loc[~geoms.is_valid, "code"].tolist()
    if invalid:
        reasons = [shapely.is_valid_reason(g) for g in geoms[~geoms.is_valid]]
        raise BoundaryError(f"invalid geometry for code(s) {', '.join(map(str, invalid))} ({reasons[0]})")
    minx, miny, maxx, maxy = frame.total_bounds
    if minx < NTT_BOX[0] or miny < NTT_BOX[1] or maxx > NTT_BOX[2] or maxy > NTT_BOX[3]:
        raise BoundaryError(f"coordinates lie outside NTT (bounds {minx:.2f}, {miny:.2f}, {maxx:.2f}, {maxy:.2f}); "
                            "expected longitude/latitude in EPSG:4326")
    return frame.assign(code=got.astype(str))


def orient(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Exterior rings clockwise, holes counter-clockwise: the d3-geo convention `px.choropleth` needs
    (MapLibre accepts either); see ../shared/data/SOURCE.md."""
    import shapely
    return frame.set_geometry(shapely.orient_polygons(frame.geometry.to_numpy(), exterior_cw=True), crs=frame.crs)


def exteriors_clockwise(frame: gpd.GeoDataFrame) -> bool:
    """True when every polygon's exterior ring runs clockwise."""
    for geom in frame.geometry:
        for poly in getattr(geom, "geoms", [geom]):
            if poly.exterior.is_ccw:
                return False
    return True


def _source_of(path: Path, raw: dict) -> tuple[str | None, str | None]:
    attribution = raw.get("attribution") if isinstance(raw.get("attribution"), str) else None
    source = raw.get("pantau_source")
    if source is None:
        props = (raw.get("features") or [{}])[0].get("properties") or {}
        if "kemendagri_code" in props:  # the cahyadsn/wilayah_boundaries export (../shared/data)
            source = WILAYAH_BOUNDARIES
        elif "shapeName" in props or "shapeID" in props:
            source = GEOBOUNDARIES
    return source, attribution


_LOADED: dict = {}


def load(path: Path | str, codes) -> Boundaries:
    """Read, validate and orient the boundary file at `path` for the kabupaten `codes`; cached on the file's path,
    modification time and size, so a replaced file is read again. Raises BoundaryError (also for a missing or
    unreadable file)."""
    path = Path(path)
    codes = tuple(sorted(str(c) for c in codes))
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise BoundaryError(f"no boundary file at {path}") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size, codes)
    hit = _LOADED.get(key)
    if isinstance(hit, BoundaryError):
        raise hit
    if hit is not None:
        return hit
    try:
        result = dataclasses.replace(_read(path, codes), version=f"{stat.st_mtime_ns:x}-{stat.st_size:x}")
    except BoundaryError as exc:
        _LOADED[key] = exc
        raise
    if len(_LOADED) > 8:
        _LOADED.clear()
    _LOADED[key] = result
    return result


def _read(path: Path, codes: tuple[str, ...]) -> Boundaries:
    import geopandas as gpd
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BoundaryError(f"{path.name} is not readable GeoJSON ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection" or not isinstance(raw.get("features"), list):
        raise BoundaryError(f"{path.name} is not a GeoJSON FeatureCollection")
    try:
        frame = gpd.GeoDataFrame.from_features(raw["features"], crs=4326)
    except Exception as exc:  # noqa: BLE001 - any malformed geometry ends up here
        raise BoundaryError(f"{path.name}: features cannot be read ({exc})") from None
    frame = orient(validate(frame, codes))
    source, attribution = _source_of(path, raw)
    keep = [c for c in ("code", "name") if c in frame.columns]
    geojson = json.loads(frame[keep + ["geometry"]].to_json(drop_id=True))
    box = tuple(round(float(v), 4) for v in frame.total_bounds)
    return Boundaries(path=path, geojson=geojson, codes=codes, source=source, attribution=attribution, box=box)

def read_regencies(path: Path = REGENCIES_CSV) -> pd.DataFrame:
    import pandas as pd
    return pd.read_csv(path, dtype={"code": str, "bps_code": str})


def geojson_text(frame: gpd.GeoDataFrame, attribution: str | None, source: str | None) -> str:
    data = json.loads(frame[["code", "name", "geometry"]].to_json(drop_id=True))
    data = {"type": "FeatureCollection", "pantau_source": source, "attribution": attribution,
            "features": data["features"]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
