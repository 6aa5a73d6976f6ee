"""Kabupaten/kota boundaries from a public source: download geoBoundaries IDN ADM2, keep NTT's 22 units joined to
Kemendagri codes by name, validate and write the GeoJSON the map reads (`python app.py boundaries fetch|check`)."""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from settings import settings_or_exit
from warehouse.boundaries import (
    GEOBOUNDARIES,
    NTT_BOX,
    BoundaryError,
    Boundaries,
    exteriors_clockwise,
    geojson_text,
    load,
    orient,
    read_regencies,
    validate,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

GEOBOUNDARIES_API = "https://www.geoboundaries.org/api/current/gbOpen/IDN/ADM2/"
# Names the sources spell differently from the Kemendagri list (normalised form → normalised official form).
ALIASES = {"sawu raijua": "sabu raijua", "rote ndau": "rote ndao", "kupang kota": "kota kupang",
           "tts": "timor tengah selatan", "ttu": "timor tengah utara"}


def normalise(name: str) -> str:
    """A name for matching: lower case, no "Kabupaten"/"Kab." prefix, punctuation and repeated spaces removed.
    A city keeps "kota" in front ("Kota Kupang" ≠ "Kabupaten Kupang"); "Kupang (Kota)" becomes "kota kupang"."""
    text = str(name or "").lower().strip()
    city = bool(re.search(r"\(\s*kota\s*\)|\bkota\b", text))
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"^\s*(kabupaten|kab\.?|regency of|kota administrasi|kota|city of)\s+", " ", text)
    text = re.sub(r"\s+(regency|city|kota)\s*$", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = ALIASES.get(text, text)
    return f"kota {text}" if city and not text.startswith("kota ") else text


def join_codes(features: gpd.GeoDataFrame, regencies: pd.DataFrame, name_field: str = "shapeName"
               ) -> gpd.GeoDataFrame:
    """The units of `features` (e.g. all of Indonesia's ADM2) that are NTT's kabupaten/kota, with `code`, `name`.

    Features are first cut to the NTT box, then matched on the normalised name against `regencies` (`code`,
    `name`, `label_lat`, `label_lon`). Two candidates with one name are told apart by which one holds the unit's
    label point. Raises BoundaryError naming every kabupaten that found no (or no unambiguous) match."""
    import geopandas as gpd
    from shapely.geometry import Point

    if name_field not in features.columns:
        raise BoundaryError(f"the downloaded features have no `{name_field}` property")
    if features.crs is not None and features.crs.to_epsg() != 4326:
        features = features.to_crs(4326)
    points = features.geometry.representative_point()
    box = NTT_BOX
    inside = points.x.between(box[0], box[2]) & points.y.between(box[1], box[3])
    cand = features.loc[inside].copy()
    cand["_key"] = cand[name_field].map(normalise)
    rows, unmatched = [], []
    for reg in regencies.itertuples():
        key = normalise(reg.name)
        hits = cand.loc[cand["_key"] == key]
        if hits.empty and key.startswith("kota "):  # a source that names the city just "Kupang"
            hits = cand.loc[cand["_key"] == key.removeprefix("kota ")]
            hits = hits.loc[hits.geometry.contains(Point(float(reg.label_lon), float(reg.label_lat)))]
        if len(hits) > 1:  # e.g. "Kupang" for both the city and the kabupaten: the unit's label point decides
            hits = hits.loc[hits.geometry.contains(Point(float(reg.label_lon), float(reg.label_lat)))]
        if len(hits) != 1:
            unmatched.append(f"{reg.code} {reg.name}")
            continue
        rows.append({"code": str(reg.code), "name": reg.name, "source_name": hits.iloc[0][name_field],
                     "_source_row": hits.index[0], "geometry": hits.geometry.iloc[0]})
    if unmatched:
        used = {r["_source_row"] for r in rows}
        names = sorted(set(cand.loc[~cand.index.isin(used), name_field].astype(str)))
        raise BoundaryError(f"{len(unmatched)} of {len(regencies)} kabupaten/kota not found by name: "
                            f"{'; '.join(unmatched)}" + (f" (unused names in the area: {', '.join(names)})"
                                                         if names else ""))
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    dupes = out.loc[out["_source_row"].duplicated(keep=False), "name"].tolist()
    if dupes:
        raise BoundaryError(f"one source unit matched several kabupaten: {', '.join(dupes)}")
    return out.drop(columns="_source_row")


def tidy(frame: gpd.GeoDataFrame, tolerance: float = 0.0005) -> gpd.GeoDataFrame:
    """Smaller file, same map: simplify (~50 m), round to 5 decimals (~1 m), repair, orient clockwise."""
    import shapely
    geoms = shapely.simplify(frame.geometry.to_numpy(), tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 1e-5)
    geoms = shapely.make_valid(geoms)
    geoms = [g if g.geom_type in ("Polygon", "MultiPolygon") else
             shapely.MultiPolygon([p for p in getattr(g, "geoms", []) if p.geom_type == "Polygon"]) for g in geoms]
    return orient(frame.set_geometry(geoms, crs=4326))






def fetch(out: Path, api_url: str = GEOBOUNDARIES_API, client=None, regencies: pd.DataFrame | None = None,
          say=lambda _msg: None) -> Boundaries:
    """Download geoBoundaries IDN ADM2 (the API's metadata, then its `gjDownloadURL`), keep the 22 NTT units
    joined to Kemendagri codes by name, orient, validate and write GeoJSON to `out` (atomically).

    `client` is an httpx.Client (injectable for tests); network failures raise httpx errors."""
    import geopandas as gpd
    import httpx

    regencies = read_regencies() if regencies is None else regencies
    own = client is None
    client = client or httpx.Client(timeout=httpx.Timeout(60.0, connect=15.0), follow_redirects=True)
    try:
        meta_response = client.get(api_url)
        meta_response.raise_for_status()
        try:
            meta = meta_response.json()
        except ValueError:
            raise BoundaryError(f"{api_url} did not return JSON") from None
        if isinstance(meta, list):
            meta = meta[0] if meta else {}
        url = meta.get("gjDownloadURL") if isinstance(meta, dict) else None
        if not url:
            raise BoundaryError(f"{api_url} gave no gjDownloadURL")
        say(f"downloading {url}")
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "adm2.geojson"
            with client.stream("GET", url) as response:
                response.raise_for_status()
                with target.open("wb") as fh:
                    for chunk in response.iter_bytes():
                        fh.write(chunk)
            try:
                features = gpd.read_file(target)
            except Exception as exc:  # noqa: BLE001 - pyogrio raises several types for a broken file
                raise BoundaryError(f"the downloaded file is not readable GeoJSON ({exc})") from None
    finally:
        if own:
            client.close()
    frame = tidy(join_codes(features, regencies))
    frame = orient(validate(frame, regencies["code"]))
    attribution = ("geoBoundaries IDN ADM2 (Runfola et al. 2020"
                   + "".join(f"; {meta[k]}" for k in ("boundarySource", "boundaryLicense") if meta.get(k)) + ")")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(out.suffix + ".part")
    partial.write_text(geojson_text(frame, attribution, GEOBOUNDARIES), encoding="utf-8")
    partial.replace(out)
    return load(out, regencies["code"])


# ---------------------------------------------------------------------------------------------------------------
# command line: python app.py boundaries fetch|check

@click.group("boundaries")
def cli() -> None:
    """Kabupaten/kota boundaries for the map (BOUNDARIES_PATH): fetch, check."""


def _configured_path() -> Path:
    return settings_or_exit().BOUNDARIES_PATH


@cli.command("fetch")
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False),
              help="Where to write the GeoJSON (default BOUNDARIES_PATH).")
@click.option("--api-url", default=GEOBOUNDARIES_API, show_default=True, help="geoBoundaries API address.")
def fetch_cmd(out: str | None, api_url: str) -> None:
    """Download geoBoundaries IDN ADM2, keep the 22 NTT units with Kemendagri codes, validate, write GeoJSON."""
    import httpx

    target = Path(out) if out else _configured_path()
    try:
        result = fetch(target, api_url, say=click.echo)
    except httpx.HTTPStatusError as exc:
        click.echo(f"boundaries fetch: {exc.request.url} answered HTTP {exc.response.status_code}; "
                   f"nothing written", err=True)
        sys.exit(1)
    except httpx.HTTPError as exc:
        host = httpx.URL(api_url).host
        click.echo(f"boundaries fetch: cannot download from {host} ({exc.__class__.__name__}: {exc or 'no answer'}); "
                   f"nothing written. Without internet, copy a boundary GeoJSON to {target}.", err=True)
        sys.exit(1)
    except BoundaryError as exc:
        click.echo(f"boundaries fetch: {exc}; nothing written", err=True)
        sys.exit(1)
    size = result.path.stat().st_size / 1024
    click.echo(f"wrote {len(result.codes)} kabupaten/kota to {result.path} ({size:,.0f} KB)")


@cli.command("check")
@click.option("--path", "path", default=None, type=click.Path(dir_okay=False), help="File to check "
              "(default BOUNDARIES_PATH).")
def check_cmd(path: str | None) -> None:
    """Exit 0 when the boundary file is usable (22 codes, valid geometry, EPSG:4326), 1 otherwise."""
    import geopandas as gpd
    target = Path(path) if path else _configured_path()
    try:
        result = load(target, read_regencies()["code"])
    except BoundaryError as exc:
        click.echo(f"{target}: NOT usable: {exc}")
        sys.exit(1)
    frame = gpd.GeoDataFrame.from_features(result.geojson["features"], crs=4326)
    parts = sum(len(getattr(g, "geoms", [g])) for g in frame.geometry)
    click.echo(f"{target}: OK, {len(result.codes)} kabupaten/kota, {parts} polygon parts, valid, EPSG:4326, "
               f"exterior rings clockwise: {exteriors_clockwise(frame)}")
