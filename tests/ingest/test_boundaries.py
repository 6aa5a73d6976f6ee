"""Boundaries from geoBoundaries (ingest/boundaries.py): names normalised for the join, every kabupaten given its own
shape or named when it is not found, and the `boundaries fetch|check` commands against a loopback stand-in for the
download site."""
from __future__ import annotations

import contextlib
import http.server
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from ingest import boundaries as boundary_source
from tests.support.boundaries import CODES, exterior_rings, ring_is_clockwise, shared_frame, write_geojson
from tests.support.server import in_thread
from warehouse import boundaries


# ------------------------------------------------------------------------------------------------ name join

@pytest.mark.parametrize("name, key", [
    ("Kabupaten Kupang", "kupang"), ("Kota Kupang", "kota kupang"), ("KAB. SABU RAIJUA", "sabu raijua"),
    ("Kupang (Kota)", "kota kupang"), ("Kab Rote-Ndao", "rote ndao"), ("  Timor  Tengah Selatan ", "timor tengah selatan"),
    ("Sawu Raijua", "sabu raijua"),
])
def test_names_are_normalised_for_the_join(name, key):
    assert boundary_source.normalise(name) == key


def geoboundaries_like(city_named_like_kabupaten: bool = True) -> gpd.GeoDataFrame:
    """The shared shapes as geoBoundaries delivers ADM2: `shapeName` (no Kabupaten prefix, the city sometimes just
    "Kupang"), no codes, counter-clockwise rings, plus same-named units elsewhere in Indonesia."""
    frame = shared_frame()
    names = frame["short_name"].where(frame["code"] != "5371", "Kupang" if city_named_like_kabupaten else "Kota Kupang")
    names = names.replace({"Sabu Raijua": "Sawu Raijua", "Rote Ndao": "Rote-Ndao"})
    ntt = gpd.GeoDataFrame({"shapeName": names, "shapeISO": "", "shapeGroup": "IDN", "shapeType": "ADM2",
                            "_code": frame["code"]},
                           geometry=shapely.orient_polygons(frame.geometry.to_numpy(), exterior_cw=False), crs=4326)
    elsewhere = ntt.iloc[[3, 6]].copy()  # a "Belu" and a "Sikka" in Java
    elsewhere["geometry"] = elsewhere.geometry.translate(xoff=-14)
    elsewhere["_code"] = "x"
    return pd.concat([elsewhere, ntt], ignore_index=True)


def test_the_name_join_gives_every_kabupaten_its_own_shape():
    source = geoboundaries_like()
    joined = boundary_source.join_codes(source.drop(columns="_code"), boundaries.read_regencies())
    assert sorted(joined["code"]) == sorted(CODES)
    truth = source.loc[source["_code"] != "x"].set_index("_code").geometry
    for row in joined.itertuples():  # the same polygon as the one the shared file gives that code
        assert row.geometry.equals(truth[row.code]), row.code
    assert joined.loc[joined["code"] == "5371", "source_name"].item() == "Kupang"
    assert joined.loc[joined["code"] == "5320", "source_name"].item() == "Sawu Raijua"


def test_the_name_join_names_every_kabupaten_it_could_not_match():
    source = geoboundaries_like().drop(columns="_code")
    source["shapeName"] = source["shapeName"].replace({"Malaka": "Malakka", "Lembata": "Lomblen"})
    with pytest.raises(boundaries.BoundaryError) as err:
        boundary_source.join_codes(source, boundaries.read_regencies())
    message = str(err.value)
    assert message.startswith("2 of 22 kabupaten/kota not found by name: 5313 Kabupaten Lembata; 5321 Kabupaten Malaka")
    assert "Lomblen" in message and "Malakka" in message


# ------------------------------------------------------------------------------------------------ fetch / check

@contextlib.contextmanager
def loopback_geoboundaries(payload: bytes):
    """A stand-in for www.geoboundaries.org: /api/ answers the metadata, /adm2.geojson the file."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            port = self.server.server_address[1]
            if self.path.startswith("/api/"):
                body = json.dumps({"boundaryISO": "IDN", "boundaryType": "ADM2", "boundarySource": "BPS, OCHA ROAP",
                                   "boundaryLicense": "Creative Commons Attribution 3.0 Intergovernmental "
                                                      "Organisations (CC BY 3.0 IGO)",
                                   "gjDownloadURL": f"http://127.0.0.1:{port}/adm2.geojson"}).encode()
            elif self.path == "/adm2.geojson":
                body = payload
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with in_thread(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/"


def test_fetch_downloads_joins_orients_and_writes_a_file_that_check_accepts(tmp_path):
    payload = geoboundaries_like().drop(columns="_code").to_json(drop_id=True).encode()
    out = tmp_path / "boundaries" / "ntt.geojson"
    runner = CliRunner()
    with loopback_geoboundaries(payload) as api:
        result = runner.invoke(boundary_source.cli, ["fetch", "--out", str(out), "--api-url", api])
    assert result.exit_code == 0, result.output
    assert f"wrote 22 kabupaten/kota to {out}" in result.output
    written = json.loads(out.read_text())
    assert written["pantau_source"] == "geoboundaries" and "CC BY 3.0 IGO" in written["attribution"]
    assert sorted(f["properties"]["code"] for f in written["features"]) == sorted(CODES)
    assert all(ring_is_clockwise(ring) for _, ring in exterior_rings(written))  # the download was counter-clockwise
    frame = gpd.read_file(out)
    assert frame.is_valid.all() and frame.crs.to_epsg() == 4326
    kota = frame.loc[frame["code"] == "5371"].geometry.item()
    assert kota.contains(shapely.Point(123.59108, -10.20586))  # Kota Kupang's label point, not the kabupaten's
    checked = runner.invoke(boundary_source.cli, ["check", "--path", str(out)])
    assert checked.exit_code == 0 and "OK, 22 kabupaten/kota" in checked.output
    assert "exterior rings clockwise: True" in checked.output


def test_fetch_with_unmatched_names_writes_nothing_and_says_which(tmp_path):
    source = geoboundaries_like().drop(columns="_code")
    source["shapeName"] = source["shapeName"].replace({"Malaka": "Malakka"})
    out = tmp_path / "ntt.geojson"
    with loopback_geoboundaries(source.to_json(drop_id=True).encode()) as api:
        result = CliRunner().invoke(boundary_source.cli, ["fetch", "--out", str(out), "--api-url", api])
    assert result.exit_code == 1
    assert "1 of 22 kabupaten/kota not found by name: 5321 Kabupaten Malaka" in result.output
    assert not out.exists()


def test_fetch_without_internet_fails_in_one_line_with_exit_code_1(tmp_path):
    out = tmp_path / "ntt.geojson"
    result = CliRunner().invoke(boundary_source.cli, ["fetch", "--out", str(out), "--api-url", "http://127.0.0.1:9/api/"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boundaries fetch: cannot download from 127.0.0.1")
    assert "nothing written" in lines[0] and not out.exists()


def test_check_refuses_a_file_with_21_features(tmp_path):
    path = write_geojson(tmp_path / "b.geojson", shared_frame().iloc[:21])
    result = CliRunner().invoke(boundary_source.cli, ["check", "--path", str(path)])
    assert result.exit_code == 1 and "NOT usable: 21 features, expected 22; missing code(s) 5371" in result.output
