"""Every JSON and CSV route of the app. The read-only data API: `/api/v1/<dataset>.csv|.json` with the dashboard's
filter parameters, the dataset list and the data dictionary (every answer goes through `warehouse.export.build`,
like the export page and the CLI); and the two answers pages fetch in the browser: the rankings' cooperative rows
and the map's boundaries. Who may read each is declared on its view (layouts/access/guards.py checks it).

    GET /api/v1/indicators.json                  the indicator registry: every published figure's definition (public)
    GET /api/v1/datasets.json                    the datasets, their parameters and columns
    GET /api/v1/dictionary.json|.csv[?dataset=]  the data dictionary (type, unit, Indonesian and English meaning)
    GET /api/v1/<dataset>.csv?kab=&jenis=&periode=|periode_dari=&periode_sampai=|tahun=&kerangka=
    GET /api/v1/<dataset>.json?...&limit=&offset=   (limit 1–10000, default 1000; `next` is the following page)

    GET /peringkat/koperasi.json?<the rankings page's query>   the cooperative grid's rows (the rankings page's rule)
    GET /peta/batas-wilayah.geojson?v=<version>               the kabupaten boundaries (public, like the map)
    POST /kirim/unggah (multipart `files`)                    Kirim Laporan: keep the files for the ingest worker

Unknown dataset → 404; an unknown, repeated, inapplicable or malformed parameter → 400; both answer JSON
{"error", "pesan", "parameter", "value", "rule"}. Answers carry an ETag keyed on the warehouse's data version:
an unchanged warehouse answers 304 to If-None-Match."""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import flask

from layouts import context
from layouts.access import guards
from layouts.i18n import LANGUAGES
from layouts.pages import map as map_page
from layouts.pages import rankings, upload
from warehouse import boundaries, queries
from warehouse import export as ex

PREFIX = "/api/v1"
CACHE_CONTROL = "private, no-cache"  # revalidate every time: the ETag makes that cheap


def api_url(selection: ex.Selection, fmt: str = "csv") -> str:
    query = urlencode(selection.params())
    return f"{PREFIX}/{selection.dataset}.{fmt}" + (f"?{query}" if query else "")


def _error(exc: ex.ExportError):
    return flask.Response(json.dumps(exc.as_dict(), ensure_ascii=False), status=exc.status,
                          mimetype="application/json")


def _not_modified(tag: str):
    # A compressed answer went out as "<tag>:zstd" (Flask-Compress marks the encoding): the same data.
    sent = {re.sub(r":(zstd|br|gzip|deflate)$", "", t) for t in flask.request.if_none_match.as_set()}
    if tag.strip('"') in sent:
        response = flask.Response(status=304)
        response.headers.update({"ETag": tag, "Cache-Control": CACHE_CONTROL})
        return response
    return None


def _json(payload, tag: str | None = None):
    response = flask.Response(json.dumps(payload, ensure_ascii=False), mimetype="application/json")
    if tag:
        response.headers.update({"ETag": tag, "Cache-Control": CACHE_CONTROL})
    return response


def _dataset(name: str, fmt: str):
    engine = context.engine()
    try:
        selection, paging = ex.parse(name, flask.request.args.items(multi=True),
                                     limit_default=ex.JSON_LIMIT_DEFAULT if fmt == "json" else None)
    except ex.ExportError as exc:
        return _error(exc)
    export = ex.build(selection, engine)
    tag = ex.etag(export, fmt, paging)
    if (cached := _not_modified(tag)) is not None:
        return cached
    if fmt == "json":
        total = export.count()
        rows = export.records(limit=paging.limit, offset=paging.offset)
        following = None
        if paging.offset + len(rows) < total and rows:
            query = {**selection.params(), ex.P_OFFSET: paging.offset + len(rows)}
            if paging.limit is not None:
                query[ex.P_LIMIT] = paging.limit
            # a path on this site (relative to it), never built from the Host header a client can forge
            following = f"{PREFIX}/{name}.json?{urlencode(query)}"
        return _json(ex.envelope(export, rows, total, following), tag)
    body = ex.csv_chunks(export, ex.preamble(export), paging)
    response = flask.Response(flask.stream_with_context(body), mimetype="text/csv")
    response.headers.update({
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{ex.filename(selection, "csv")}"',
        "ETag": tag,
        "Cache-Control": CACHE_CONTROL,
        "X-Data-Version": str(export.data_version),
    })
    return response


def register(server) -> None:
    """Add the `/api/v1` routes to the Flask server."""
    bp = flask.Blueprint("api_v1", __name__, url_prefix=PREFIX)

    @bp.get("/datasets.json")
    @guards.for_api
    def datasets():
        return _json({"datasets": [d.as_dict() for d in ex.DATASETS.values()],
                      "filters": _FILTER_DOCS, "dictionary": f"{PREFIX}/dictionary.json"})

    @bp.get("/indicators.json")
    def indicators():
        """The indicator registry (public): every published figure's definition, in Indonesian and English."""
        from indicators import registry

        reg = registry.load()
        populations = {k: {"label_id": reg.population_label(k, "id"), "label_en": reg.population_label(k, "en"),
                           "description_id": reg.population_description(k, "id"),
                           "description_en": reg.population_description(k, "en")} for k in reg.populations}
        return _json({"indicators": registry.as_records(), "populations": populations,
                      "lookback_months": reg.meta.get("lookback_months")})

    @bp.get("/dictionary.<fmt>")
    @guards.for_api
    def dictionary(fmt: str):
        unknown = [k for k in flask.request.args if k != "dataset"]
        try:
            if unknown:
                raise ex.ExportError(unknown[0], flask.request.args[unknown[0]], "unknown parameter; takes: dataset",
                                     "parameter tidak dikenal; menerima: dataset")
            name = flask.request.args.get("dataset") or None
            if name is not None:
                ex.check_dataset(name)
            if fmt not in ("json", "csv"):
                raise ex.ExportError("format", fmt, "must be .json or .csv", "harus .json atau .csv", status=404)
        except ex.ExportError as exc:
            return _error(exc)
        frame = ex.dictionary(name)
        if fmt == "json":
            return _json({"columns": frame.to_dict("records")})
        body = "\ufeff" + frame.map(ex.safe_cell).to_csv(index=False, lineterminator="\n")
        response = flask.Response(body.encode("utf-8"), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = (
            f'attachment; filename="pantau-koperasi_kamus-data{"_" + name if name else ""}.csv"')
        return response

    @bp.get("/<name>.<fmt>")
    @guards.for_api
    def dataset(name: str, fmt: str):
        if fmt not in ("csv", "json"):
            return _error(ex.ExportError("format", fmt, "must be .csv or .json", "harus .csv atau .json", status=404))
        return _dataset(name, fmt)

    @bp.get("/<path:rest>")
    @guards.for_api
    def unknown(rest: str):
        return _error(ex.ExportError("path", rest, "unknown; see /api/v1/datasets.json",
                                     "tidak dikenal; lihat /api/v1/datasets.json", status=404))

    server.register_blueprint(bp)
    server.add_url_rule(rankings.ROWS_PATH, "rankings_rows", rankings_rows)
    server.add_url_rule(map_page.GEOJSON_ROUTE, "map_boundaries_geojson", boundaries_geojson)
    server.add_url_rule(upload.UPLOAD_PATH, "upload_receive", guards.for_page("upload")(upload.receive),
                        methods=["POST"])


# ------------------------------------------------------------------------------- what pages fetch in the browser
@guards.for_page("rankings")
def rankings_rows():
    """The rankings' cooperative grid rows for the page's query (up to 4,301: fetched as plain JSON instead of
    riding in the page layout); a kabupaten officer's own kabupaten only."""
    query = flask.request.args.to_dict()
    lang = query.get("bahasa") if query.get("bahasa") in LANGUAGES else context.lang()
    response = flask.Response(rankings.rows_json(query, context.engine(), lang), mimetype="application/json")
    # Cooperative rows are not kept by the browser (a shared office computer, a logout): no-store, like every
    # answer a logged-in reader gets; the rows are compressed and served from the query cache instead.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Cookie"  # the rows depend on who is logged in (an officer's kabupaten)
    return response


@guards.for_page("map")
def boundaries_geojson():
    """The validated boundaries as GeoJSON for the map (same origin: no internet needed; cached by version)."""
    codes = queries.regencies(context.engine())["code"].astype(str)
    try:
        shapes = boundaries.load(context.settings().BOUNDARIES_PATH, codes)
    except boundaries.BoundaryError:
        flask.abort(404)  # the map shows points instead and says why
    body = _GEOJSON_TEXT.get(shapes.version)
    if body is None:
        _GEOJSON_TEXT.clear()
        body = _GEOJSON_TEXT[shapes.version] = json.dumps(shapes.geojson, separators=(",", ":"))
    response = flask.Response(body, mimetype="application/geo+json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


_GEOJSON_TEXT: dict[str, str] = {}  # the last boundaries' GeoJSON, by version (the file is a few MB)


_FILTER_DOCS = {
    ex.P_REGENCY: "Kemendagri code of one of the 22 kabupaten/kota (5301–5321, 5371)",
    ex.P_TYPE: "cooperative type: " + ", ".join(ex.TYPES),
    ex.P_SCOPE: "regency_indicators and snapshots: daerah (default: the cooperatives the province and the kabupaten/"
                "kota offices supervise) or semua (every cooperative registered in NTT, national primaries and OJK's "
                "open-loop ones included)",
    ex.P_PERIOD: "one month YYYY-MM: reports/scores/snapshots/regency_indicators/kdmp_indicators/kdmp_villages = that "
                 "month end; digital/rejections/kdmp (as_of)/pendampingan = dated in that month (rejections: in WITA)",
    ex.P_FROM: "first month YYYY-MM of a range (inclusive); not with periode",
    ex.P_TO: "last month YYYY-MM of a range (inclusive); not with periode",
    ex.P_YEAR: "rat only: the fiscal year YYYY",
    ex.P_FRAMEWORK: "scores only: " + ", ".join(ex.FRAMEWORKS),
    ex.P_LIMIT: f"rows per page, 1–{ex.JSON_LIMIT_MAX} (JSON default {ex.JSON_LIMIT_DEFAULT}; CSV default all)",
    ex.P_OFFSET: "rows to skip (paging)",
}
