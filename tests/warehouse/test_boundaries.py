"""The boundary file the map draws (warehouse/boundaries.py): the shared file loads as 22 valid, clockwise features
with its attribution; counter-clockwise rings are turned on load; a bad, missing or unreadable file is refused with a
reason naming the problem; a replaced file is read again."""
from __future__ import annotations

import json
import time

import pytest
import shapely

from tests.support.boundaries import (CODES, SHARED_GEOJSON, exterior_rings, ring_is_clockwise, shared_frame,
                                      write_geojson)
from warehouse import boundaries


def test_the_shared_file_loads_as_22_valid_features_with_their_attribution(tmp_path):
    loaded = boundaries.load(SHARED_GEOJSON, CODES)
    assert sorted(f["properties"]["code"] for f in loaded.geojson["features"]) == sorted(CODES)
    assert loaded.source == boundaries.WILAYAH_BOUNDARIES
    assert loaded.box[0] == pytest.approx(118.93, abs=0.01) and loaded.box[3] == pytest.approx(-7.78, abs=0.01)
    assert all(ring_is_clockwise(ring) for _, ring in exterior_rings(loaded.geojson))


def test_counter_clockwise_rings_are_turned_clockwise_on_load(tmp_path):
    frame = shared_frame()
    frame["geometry"] = shapely.orient_polygons(frame.geometry.to_numpy(), exterior_cw=False)
    path = write_geojson(tmp_path / "ccw.geojson", frame[["code", "name", "geometry"]])
    raw = json.loads(path.read_text())
    assert not any(ring_is_clockwise(ring) for _, ring in exterior_rings(raw))  # RFC 7946 orientation in the file
    loaded = boundaries.load(path, CODES)
    rings = list(exterior_rings(loaded.geojson))
    assert len(rings) == 640 and all(ring_is_clockwise(ring) for _, ring in rings)
    assert loaded.source is None  # no known source: the page names the file


def _bowtie_for_kota_kupang(frame):
    bowtie = shapely.Polygon([(123.55, -10.25), (123.65, -10.15), (123.65, -10.25), (123.55, -10.15)])
    frame.loc[frame["code"] == "5371", "geometry"] = bowtie
    return frame


@pytest.mark.parametrize("damage, reason", [
    (lambda f: f.loc[f["code"] != "5321"], "21 features, expected 22; missing code(s) 5321"),
    (lambda f: f.assign(code=f["code"].replace({"5321": "5320"})), "code(s) appear more than once: 5320"),
    (lambda f: f.drop(columns="code"), "features have no `code` property"),
    (_bowtie_for_kota_kupang, "invalid geometry for code(s) 5371 (Self-intersection"),
    (lambda f: f.set_geometry(f.geometry.translate(xoff=-20)), "coordinates lie outside NTT"),
])
def test_a_bad_file_is_refused_with_a_reason_naming_the_problem(tmp_path, damage, reason):
    path = write_geojson(tmp_path / "bad.geojson", damage(shared_frame()))
    with pytest.raises(boundaries.BoundaryError) as err:
        boundaries.load(path, CODES)
    assert reason in str(err.value)


def test_a_missing_or_unreadable_file_is_a_boundary_error(tmp_path):
    with pytest.raises(boundaries.BoundaryError, match="no boundary file at"):
        boundaries.load(tmp_path / "absent.geojson", CODES)
    (tmp_path / "broken.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(boundaries.BoundaryError, match="not readable GeoJSON"):
        boundaries.load(tmp_path / "broken.geojson", CODES)


def test_the_cache_notices_a_replaced_file(tmp_path):
    path = write_geojson(tmp_path / "b.geojson", shared_frame())
    assert len(boundaries.load(path, CODES).codes) == 22
    first = boundaries.load(path, CODES)
    assert boundaries.load(path, CODES) is first  # cached
    time.sleep(0.01)
    write_geojson(path, shared_frame().iloc[:21])
    with pytest.raises(boundaries.BoundaryError, match="21 features"):
        boundaries.load(path, CODES)
