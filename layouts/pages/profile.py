"""Profil koperasi / Cooperative profile (`/koperasi/<nik>`): registry facts, current health with its aspects, score
history, key ratios against the peer group, RAT and digital history, and every report revision with the ingest run
it came from (the lineage of each figure)."""
from __future__ import annotations

import functools
import json
import math

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.io as pio
from dash import dcc, html

from indicators import norms as norm_files
from indicators import registry
from layouts import components, context, labels, scope
from layouts.i18n import (N_, fmt_date, fmt_datetime, fmt_figure, fmt_int, fmt_number, fmt_pct, fmt_period,
                          fmt_rupiah, t, t_marked)
from layouts.pages.rankings import CATEGORY_COLOURS, category_badge, category_label, peer_label, stage_label
from warehouse import queries, read_profile
from warehouse.models import PEER_INDICATORS

PAGE = {"path_template": "/koperasi/<nik>", **components.page_names(N_("page.profile")), "order": 80,
        "nav": False, "access": "official"}

GRAPH_CONFIG = {"displaylogo": False}
SCORE_MAX = 100.0  # every health method scores 0–100
# The figures the peer comparison shows (their percentiles are pct_<column>); their order is the rankings'.
PEER_FIGURES = tuple(name for name, _higher in PEER_INDICATORS)
# On a phone the table keeps the cooperative's value and its percentile (the chart below it draws the median and
# the middle range); the median comes back from 576 px, the range and group size from 768 px.
_SMALL_UP = "d-none d-sm-table-cell"
_WIDE_ONLY = "d-none d-md-table-cell"
# The registry entries behind the snapshot statement (which report the figures come from).
SNAPSHOT_FLAGS = ("monitored", "reported")
# The reader's words for the values the registry, the scores and the reports hold.
FACTS = (("nik", N_("pf.fact.nik")), ("regency", N_("pf.fact.regency")), ("district", N_("pf.fact.district")),
         ("type", N_("pf.fact.type")), ("group", N_("pf.fact.group")), ("status", N_("pf.fact.status")),
         ("legal_entity_number", N_("pf.fact.legal_entity_number")),
         ("certificate_status", N_("pf.fact.certificate_status")), ("registry_grade", N_("pf.fact.registry_grade")),
         ("established_year", N_("pf.fact.established_year")), ("last_rat_date", N_("pf.fact.last_rat_date")))
STATUSES = {"active": N_("pf.status.active"), "inactive": N_("pf.status.inactive"),
            "dissolved": N_("pf.status.dissolved")}
CERTIFICATES = {"bersertifikat": N_("pf.cert.bersertifikat"), "belum_bersertifikat": N_("pf.cert.belum_bersertifikat")}
GROUPS = {"Kopdit": N_("pf.group.Kopdit"), "lainnya": N_("pf.group.lainnya")}
FRAMEWORKS = {"ksp2016": N_("pf.framework.ksp2016"), "ksp2021": N_("pf.framework.ksp2021"),
              "finance": N_("pf.framework.finance"), "pearls": N_("pf.framework.pearls")}
DIRECTIONS = {"higher": N_("pf.direction.higher"), "lower": N_("pf.direction.lower")}
PEARLS_FLAGS = {"pass": N_("pf.pearls_flag.pass"), "warn": N_("pf.pearls_flag.warn"), "fail": N_("pf.pearls_flag.fail")}
REPORT_AMOUNT_HEADERS = {"members": N_("pf.col.members"), "total_assets": N_("pf.col.total_assets"),
                         "equity": N_("pf.col.equity"), "loans_outstanding": N_("pf.col.loans_outstanding"),
                         "loans_at_risk": N_("pf.col.loans_at_risk"), "revenue": N_("pf.col.revenue"),
                         "shu_after_tax": N_("pf.col.shu_after_tax")}


@functools.lru_cache(maxsize=4)
def category_bands(method: str) -> tuple[tuple[str, float, float], ...]:
    """(category, lower, upper) score bands of a health method, best first, from its norm file's [[categories]]:
    the cut-offs the Dinas owns are never copied into the page."""
    cats = sorted(norm_files.load_norms(method)["categories"], key=lambda c: -float(c["min"]))
    bands, upper = [], SCORE_MAX
    for cat in cats:
        lower = max(float(cat["min"]), 0.0)  # the lowest category starts at -inf: the chart starts at 0
        bands.append((cat["key"], lower, upper))
        upper = lower
    return tuple(bands)


def _text(value, unit: str, lang: str, digits: int = 1) -> str:
    """A figure written by its unit (missing → "–")."""
    return fmt_figure(None if _missing(value) else float(value), unit, lang, digits)


def _direction_mark(indicator_id: str, lang: str):
    """↑ / ↓ after a figure's name when its registry direction says higher / lower is better (nothing otherwise)."""
    direction = registry.load().get(indicator_id).direction
    if direction == "none":
        return None
    return html.Span(" ↑" if direction == "higher" else " ↓", className="text-muted",
                     title=labels.word(DIRECTIONS, direction, lang))


@functools.lru_cache(maxsize=8)
def _aspects(method: str, lang: str) -> tuple[tuple[str, str, float | None], ...]:
    """(key, label, maximum points) of a method's aspects, from its norm file (the Dinas may change weights)."""
    norms = norm_files.load_norms(method)
    field = "label_en" if lang == "en" else "label_id"
    return tuple((key, spec.get(field, key), spec.get("weight")) for key, spec in norms.get("aspects", {}).items())


@functools.lru_cache(maxsize=2)
def _pearls_labels(lang: str) -> dict[str, str]:
    field = "label_en" if lang == "en" else "label_id"
    return {code: spec.get(field, code) for code, spec in norm_files.load_norms("pearls").get("ratios", {}).items()}


def _components(raw) -> dict:
    if not isinstance(raw, str):
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return {}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def _yes_no(value, lang: str) -> str:
    if _missing(value):
        return "–"
    return t("pf.yes", lang) if bool(value) else t("pf.no", lang)


def _card(title, body, card_id: str | None = None, subtitle=None, class_name: str = "mb-3 h-100"):
    head = [html.Span(title)]
    if subtitle:
        head.append(html.Div(subtitle, className="small text-muted fw-normal"))
    return dbc.Card([dbc.CardHeader(head), dbc.CardBody(body)], className=class_name, id=card_id)


@functools.lru_cache(maxsize=1)
def _template() -> dict:
    """The plotly_white template as plain JSON (figures here are dicts: building them through plotly's validated
    objects cost most of the page's server time)."""
    full = pio.templates["plotly_white"].to_plotly_json()
    return {"layout": full["layout"], "data": {k: full["data"][k] for k in ("bar", "scatter") if k in full["data"]}}


def _figure(data: list, layout: dict, height: int) -> dict:
    base = {"template": _template(), "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "font": {"size": 12}, "separators": ",." if context.lang() == "id" else ".,"}
    return {"data": data, "layout": {**base, **layout}}


# ----------------------------------------------------------------------------------------------- layout
def layout(nik: str | None = None, **_query):
    lang = context.lang()
    engine = context.engine()
    nik = (nik or "").strip()
    if not read_profile.valid_nik(nik):
        return _not_found(t("pf.invalid_nik", lang, nik=nik[:40]), lang)
    data = read_profile.profile(engine, nik)
    if data is None:
        return _not_found(t("pf.not_found", lang, nik=nik), lang)
    view = scope.cooperatives(data.registry.get("regency_code"))
    if not view.allowed:  # a kabupaten officer and another kabupaten's cooperative: nothing of it is shown
        return _outside(view, lang)
    simulated = queries.status(engine).is_demo
    reg = data.registry
    snap = None if data.snapshots.empty else data.snapshots.iloc[-1]
    main = _main_framework(data.scores, snap)
    latest = _latest(data.scores, main, snap)
    header = html.Div(
        [
            html.H1([reg["name"], " ", _category(snap, latest, lang, id="profile-category",
                                                 style={"fontSize": ".55em", "verticalAlign": "middle"})],
                    className="h3 mb-1", id="profile-name"),
            html.P([f"NIK {reg['nik']} · {reg.get('regency_name') or reg['regency_code']} · "
                    f"{labels.word(labels.COOP_TYPES, reg['type'], lang)}", " · ",
                    dcc.Link(t("pf.back", lang), href=dash.get_relative_path("/peringkat")
                             + f"?tampilan=koperasi&kab={reg['regency_code']}")],
                   className="text-muted mb-3"),
        ],
        className="mt-3",
    )
    return html.Div(
        [
            header,
            dbc.Row([
                dbc.Col(_card(t("pf.registry", lang), _facts(reg, lang), "profile-registry"), lg=4, className="mb-3"),
                dbc.Col(_health_card(data, snap, main, latest, lang), lg=8, className="mb-3"),
            ], className="g-3"),
            _history_row(data.scores, main, lang),
            _peers_card(data, snap, lang),
            dbc.Row([
                dbc.Col(_card(t("pf.rat", lang), _rat(data, lang), "profile-rat-card"), xl=7, className="mb-3"),
                dbc.Col(_card(t("pf.digital", lang), _digital(data.digital, lang), "profile-digital-card"), xl=5,
                        className="mb-3"),
            ], className="g-3"),
            _reports_card(data.reports, lang, simulated),
        ],
        className="profile",
    )


def _outside(view: scope.CoopView, lang: str):
    return html.Div(
        [
            components.page_header(t("auth.forbidden.title", lang)),
            dbc.Alert([html.P(t("access.profile_outside", lang, regency=scope.regency_name(view.scope))
                              if view.reason == scope.OUTSIDE else t("auth.login_required.text", lang),
                              className="mb-2"),
                       dcc.Link(t("pf.back", lang), href=dash.get_relative_path("/peringkat") + "?tampilan=koperasi",
                                id="profile-back")],
                      color="warning", id="auth-denied"),
        ]
    )


def _not_found(message: str, lang: str):
    return html.Div(
        [
            components.page_header(t("pf.not_found.title", lang)),
            dbc.Alert([html.P(message, className="mb-2"),
                       dcc.Link(t("pf.back", lang), href=dash.get_relative_path("/peringkat") + "?tampilan=koperasi",
                                id="profile-back")],
                      color="warning", id="profile-not-found"),
        ]
    )


def _facts(reg: dict, lang: str):
    def value(key):
        raw = reg.get(key)
        if _missing(raw) or raw == "":
            return "–"
        if key in ("status", "certificate_status", "type", "group"):
            table = {"status": STATUSES, "certificate_status": CERTIFICATES, "type": labels.COOP_TYPES,
                     "group": GROUPS}[key]
            return labels.word(table, raw, lang)
        if key == "last_rat_date":
            return fmt_date(raw, lang)
        if key == "established_year":
            return str(int(raw))
        return str(raw)

    items = []
    for key, name in FACTS:
        shown = reg.get("regency_name") or reg["regency_code"] if key == "regency" else value(key)
        items += [html.Dt(t_marked(name, lang), className="col-5"),
                  html.Dd(shown, className="col-7", id=f"profile-fact-{key}")]
    return html.Dl(items, className="row profile-facts mb-0")


# ----------------------------------------------------------------------------------------------- health
def _main_framework(scores: pd.DataFrame, snap=None) -> str:
    """The snapshot's health method (what the refresh scored it with: 2016 for savings and loans, the general
    finance score otherwise); without a snapshot, 2016 when the cooperative has such scores."""
    if snap is not None and isinstance(snap.get("health_framework"), str):
        return snap["health_framework"]
    return "ksp2016" if scores["framework"].eq("ksp2016").any() else "finance"


def _latest(scores: pd.DataFrame, framework: str, snap=None):
    """The score row whose aspects the health card draws: the snapshot period's own report when the cooperative
    reported for it, else its latest scored report up to the snapshot period (each labelled with its period)."""
    rows = scores.loc[scores["framework"].eq(framework)]
    if snap is not None:
        rows = rows.loc[pd.to_datetime(rows["period_end"]) <= pd.Timestamp(snap["period_end"])]
        if bool(snap.get("reported")):
            own = rows.loc[pd.to_datetime(rows["period_end"]) == pd.Timestamp(snap["period_end"])]
            rows = own if not own.empty else rows
    scored = rows.loc[rows["total"].notna()]
    rows = scored if not scored.empty else rows
    return None if rows.empty else rows.iloc[-1]


def _category(snap, latest, lang: str, **kwargs):
    """The health category badge: the snapshot's (the one the Rankings show), with its definition on hover."""
    if snap is None:  # snapshots not computed yet: the latest score's own category
        return category_badge(latest["category"] if latest is not None else None, lang, **kwargs)
    key = snap.get("health_category")
    key = key if isinstance(key, str) else None
    name = key or "none"
    return components.figure("health_category", key, lang, components.snapshot_scope(snap["nik"], snap["period_end"]),
                             text=category_label(key, lang), className=f"badge rankings-cat rankings-cat-{name}",
                             element_id=kwargs.get("id"))


def _snapshot_basis(snap, lang: str) -> list:
    """Which report a snapshot's figures come from, in words: the latest report in the 12 months up to the
    period (the stored monitored / reported flags), and that the Rankings show the same."""
    period = fmt_period(snap["period_end"], lang)
    if not bool(snap.get("monitored")):
        return [t("pf.snapshot_not_monitored", lang, period=period)]
    source = snap.get("source_period")
    source = fmt_period(pd.Timestamp(source).date(), lang) if source is not None and not pd.isna(source) else "–"
    own = (t("pf.snapshot_reported", lang, period=period, source=source) if bool(snap.get("reported")) else
           t("pf.snapshot_not_reported", lang, period=period, source=source))
    return [t("pf.snapshot_basis", lang, period=period), " ", own]


def _health_card(data: read_profile.Profile, snap, main: str, latest, lang: str):
    title = t("pf.health", lang)
    if snap is None and latest is None:
        return _card(title, html.P(t("pf.no_score", lang), className="mb-0"), "profile-health")
    if snap is not None:
        scope_ = components.snapshot_scope(snap["nik"], snap["period_end"])
        headline = [
            html.Div(components.figure("health_total", snap.get("health_total"), lang, scope_, digits=1),
                     className="profile-score", id="profile-score"),
            html.Div(_category(snap, latest, lang), className="my-2"),
            html.Div(labels.word(FRAMEWORKS, main, lang), className="small fw-semibold"),
            html.Div([*_snapshot_basis(snap, lang), " ", t("pf.same_as_rankings", lang)],
                     className="small text-muted", id="profile-snapshot-basis"),
        ]
        notes = ["health_total", "health_category", *SNAPSHOT_FLAGS]
    else:
        headline = [
            html.Div(fmt_number(latest["total"], 1, lang) if not _missing(latest["total"]) else "–",
                     className="profile-score", id="profile-score"),
            html.Div(category_badge(latest["category"], lang), className="my-2"),
            html.Div(labels.word(FRAMEWORKS, main, lang), className="small fw-semibold"),
        ]
        notes = []
    if snap is not None and not bool(snap.get("monitored")):
        latest = None  # an old report's aspects are no current health: the history chart keeps them
    report = []
    if latest is not None:
        coverage = latest["coverage"]
        report = [
            html.Div(t("pf.health_period", lang, period=fmt_period(latest["period_end"], lang),
                       coverage=fmt_pct(None if _missing(coverage) else coverage, 0, lang)),
                     className="small text-muted mt-2", id="profile-score-report"),
            _score_source(data.reports, latest["period_end"], lang),
        ]
        notes += ["score_total", "score_coverage"]
    chart = (_aspect_chart(main, _components(latest["components"]), latest["category"], latest["period_end"], lang)
             if latest is not None else
             html.P(t("pf.no_current_score", lang) if snap is not None else t("pf.no_score", lang),
                    className="small text-muted"))
    body = [dbc.Row([dbc.Col(headline + report, md=4, className="mb-2"), dbc.Col(chart, md=8)], className="g-2"),
            components.definitions(notes, lang, element_id="profile-health-definitions") if notes else None]
    return _card(title, body, "profile-health")


def _score_source(reports: pd.DataFrame, period, lang: str):
    rows = reports.loc[reports["period_end"].eq(period) & reports["is_current"].astype(bool)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return html.Div(t("pf.score_from", lang, period=fmt_period(period, lang), revision=int(row["revision"]),
                      run=int(row["ingest_run_id"]), target=row["run_target"] or "–"),
                    className="small text-muted mt-1", id="profile-score-source")


def _aspect_chart(method: str, parts: dict, category, period, lang: str):
    aspects = [(key, label, weight) for key, label, weight in _aspects(method, lang) if weight]
    if not aspects or not any(key in parts for key, _, _ in aspects):
        return html.P(t("pf.no_score", lang), className="small text-muted")
    names = [label for _, label, _ in aspects][::-1]
    maxima = [float(weight) for _, _, weight in aspects][::-1]
    points = [parts.get(key) for key, _, _ in aspects][::-1]
    points = [None if _missing(p) else float(p) for p in points]
    text = [f"{fmt_number(p, 1, lang) if p is not None else '–'} / {fmt_number(m, 0, lang)}"
            for p, m in zip(points, maxima)]
    colour = CATEGORY_COLOURS.get(category, "#6c757d")
    data = [
        {"type": "bar", "y": names, "x": maxima, "orientation": "h", "name": t("pf.max", lang),
         "marker": {"color": "#e9ecef"}, "hoverinfo": "skip", "width": 0.8},
        {"type": "bar", "y": names, "x": points, "orientation": "h", "name": t("pf.points", lang), "width": 0.5,
         "marker": {"color": colour}, "text": text, "textposition": "outside", "cliponaxis": False,
         "hovertemplate": "%{y}: %{text}<extra></extra>"},
    ]
    layout = {"barmode": "overlay", "showlegend": False, "bargap": 0.2,
              "xaxis": {"range": [0, max(maxima) * 1.35], "showticklabels": False, "showgrid": False},
              "yaxis": {"automargin": True}}
    return html.Div([html.Div(t("pf.aspects", lang, period=fmt_period(period, lang)), className="small text-muted"),
                     dcc.Graph(id="profile-aspects", figure=_figure(data, layout, 40 + 34 * len(aspects)),
                               config={**GRAPH_CONFIG, "displayModeBar": False})])


def _history(scores: pd.DataFrame, main: str, lang: str):
    rows = scores.loc[scores["framework"].isin([main, "ksp2021"]) & scores["total"].notna()]
    if rows.empty:
        return html.P(t("pf.no_score", lang), className="mb-0")
    bands = category_bands(main)
    shapes = [{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": low, "y1": high,
               "fillcolor": CATEGORY_COLOURS.get(key, "#6c757d"), "opacity": 0.07, "line": {"width": 0},
               "layer": "below"}
              for key, low, high in bands]
    shapes += [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": low, "y1": low,
                "line": {"color": "#6c757d", "width": 1, "dash": "dot"}} for _key, low, _high in bands if low]
    annotations = [{"x": 1, "xref": "paper", "xanchor": "right", "y": low, "yshift": 2 if low else 4, "yref": "y",
                    "yanchor": "bottom", "showarrow": False,
                    "text": f"{category_label(key, lang)} ≥ {fmt_number(low, 0, lang)}" if low
                    else category_label(key, lang),
                    "font": {"size": 10, "color": CATEGORY_COLOURS.get(key, "#6c757d")},
                    "bgcolor": "rgba(255,255,255,0.75)"}
                   for key, low, _high in bands]
    data = []
    styles = {main: {"color": "#0d47a1", "width": 2.5}, "ksp2021": {"color": "#7e57c2", "width": 1.5, "dash": "dash"}}
    for framework, style in styles.items():
        part = rows.loc[rows["framework"].eq(framework)]
        if part.empty:
            continue
        data.append({"type": "scatter", "x": part["period_end"].astype(str).tolist(),
                     "y": part["total"].tolist(), "mode": "lines", "line": style,
                     "name": labels.word(FRAMEWORKS, framework, lang),
                     "hovertemplate": "%{x|%m/%Y}: %{y:.1f}<extra></extra>"})
    layout = {"shapes": shapes, "annotations": annotations, "hovermode": "x unified",
              "yaxis": {"range": [0, 100], "title": {"text": t("pf.score", lang)}},
              "xaxis": {"type": "date"}, "legend": {"orientation": "h", "y": -0.15, "x": 0}}
    return [dcc.Graph(id="profile-history-chart", figure=_figure(data, layout, 320), config=GRAPH_CONFIG),
            components.definitions(["score_total", "score_category"], lang)]


def _history_row(scores: pd.DataFrame, main: str, lang: str):
    """Score history, with the other methods' results beside it when there are any (else the chart is full width)."""
    history = _card(t("pf.history", lang), _history(scores, main, lang), "profile-history")
    other = _other_methods(scores, lang)
    if not other:
        return dbc.Row(dbc.Col(history, className="mb-3"), className="g-3")
    return dbc.Row([dbc.Col(history, lg=7, className="mb-3"),
                    dbc.Col(_card(t("pf.other", lang), other, "profile-other"), lg=5, className="mb-3")],
                   className="g-3")


def _other_methods(scores: pd.DataFrame, lang: str) -> list:
    blocks = []
    ksp2021 = _latest(scores, "ksp2021")
    if ksp2021 is not None and not _missing(ksp2021["total"]):
        parts = _components(ksp2021["components"])
        aspects = [html.Li(t("pf.aspect_pct", lang, aspect=label, value=fmt_number(parts[key], 1, lang)))
                   for key, label, _ in _aspects("ksp2021", lang) if not _missing(parts.get(key))]
        blocks.append(html.Div([
            html.Div(t("pf.framework.ksp2021", lang), className="fw-semibold small"),
            html.Div([html.Span(fmt_number(ksp2021["total"], 1, lang), className="fs-4 fw-bold me-2"),
                      category_badge(ksp2021["category"], lang),
                      html.Span(" " + fmt_period(ksp2021["period_end"], lang), className="small text-muted")]),
            html.Ul(aspects, className="small mb-3 ps-3"),
        ], id="profile-ksp2021"))
    pearls = _latest(scores, "pearls")
    if pearls is not None:
        parts = _components(pearls["components"])
        pearls_labels = _pearls_labels(lang)
        flag_class = {"pass": "text-success", "warn": "text-warning-emphasis", "fail": "text-danger"}
        rows = []
        for code, label in pearls_labels.items():
            if _missing(parts.get(code)):
                continue
            flag = parts.get(f"{code}_flag")
            rows.append(html.Tr([
                html.Td(code, className="fw-semibold"), html.Td(label, style={"whiteSpace": "normal"}),
                html.Td(f"{fmt_number(parts[code], 1, lang)} %", className="text-end"),
                html.Td(labels.word(PEARLS_FLAGS, flag, lang) if flag in PEARLS_FLAGS else "–",
                        className=flag_class.get(flag, "")),
            ]))
        blocks.append(html.Div([
            html.Div([t("pf.framework.pearls", lang), " ",
                      html.Span(fmt_period(pearls["period_end"], lang), className="text-muted fw-normal")],
                     className="fw-semibold small mb-1"),
            dbc.Table(html.Tbody(rows), size="sm", className="profile-table mb-0", responsive=True),
        ], id="profile-pearls"))
    return blocks


# ----------------------------------------------------------------------------------------------- peers
def _peers_card(data: read_profile.Profile, snap, lang: str):
    """The snapshot's key ratios (stored, as the Rankings show them) with their stored peer percentiles, beside
    the stored peer-group median and middle range of the same snapshot period."""
    title = t("pf.peers", lang)
    if snap is None:
        return _card(title, html.P(t("pf.no_snapshot", lang), className="mb-0 small text-muted"), "profile-peers",
                     class_name="mb-3")
    reg = registry.load()
    scope_ = components.snapshot_scope(snap["nik"], snap["period_end"])
    stats = data.peer_stats.set_index("indicator") if not data.peer_stats.empty else pd.DataFrame()
    rows, chart_rows, shown = [], [], []
    for name in PEER_FIGURES:
        ind = reg.get(name)
        column = ind.columns("snapshots")[0]
        pct_id = f"pct_{column}"
        value, pct = snap.get(column), snap.get(pct_id)
        stat = stats.loc[name] if name in stats.index else None

        def peer(v):  # peer statistics are stored per indicator but are no registry figure of their own
            return "–" if stat is None else _text(v, ind.unit, lang)

        label = [html.Span(ind.label(lang), title=components.definition_title(name, lang)),
                 _direction_mark(name, lang)]
        rows.append(html.Tr([
            html.Td(label, style={"whiteSpace": "normal"}),
            html.Td(components.figure(name, value, lang, scope_, text=_text(value, ind.unit, lang)),
                    className="text-end fw-semibold", id=f"profile-value-{name}"),
            html.Td(peer(None if stat is None else stat["median"]), className=f"text-end {_SMALL_UP}"),
            html.Td("–" if stat is None else f"{peer(stat['p25'])} – {peer(stat['p75'])}",
                    className=f"text-end {_WIDE_ONLY}"),
            html.Td(components.figure(pct_id, pct, lang, scope_,
                                      text="–" if _missing(pct) else "P" + fmt_figure(pct, "percentile", lang, 0)),
                    className="text-end", id=f"profile-pct-{name}"),
            html.Td("–" if stat is None else fmt_int(stat["n"], lang), className=f"text-end text-muted {_WIDE_ONLY}"),
        ]))
        shown += [name, pct_id]
        if stat is not None and not _missing(value) and not _missing(stat["p25"]):
            chart_rows.append((name, ind, float(value), stat))
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(t("pf.col.indicator", lang)),
                             html.Th(t("pf.col.value", lang), className="text-end"),
                             html.Th(t("pf.col.median", lang), className=f"text-end {_SMALL_UP}"),
                             html.Th(t("pf.col.iqr", lang), className=f"text-end {_WIDE_ONLY}"),
                             html.Th(t("pf.col.pct", lang), className="text-end"),
                             html.Th(t("pf.col.n", lang), className=f"text-end {_WIDE_ONLY}")])),
         html.Tbody(rows)],
        size="sm", hover=True, responsive=True, className="profile-table mb-1", id="profile-peer-table",
    )
    basis = html.P([*_snapshot_basis(snap, lang), " ", t("pf.peers_same", lang)], className="small mb-1",
                   id="profile-peers-basis")
    note = html.P(t("pf.pct_note", lang), className="small text-muted mb-0")
    subtitle = t("pf.peers_sub", lang, group=peer_label(snap.get("peer_group"), lang),
                 period=fmt_period(snap["period_end"], lang))
    chart = _range_chart(chart_rows, lang)
    body = [dbc.Row([dbc.Col([basis, table, note], lg=7), dbc.Col(chart, lg=5)], className="g-3"),
            components.definitions([*shown, *SNAPSHOT_FLAGS], lang, element_id="profile-peers-definitions")]
    return _card(title, body, "profile-peers", subtitle=subtitle, class_name="mb-3")


def _range_chart(rows: list, lang: str):
    if not rows:
        return None
    # One small panel per indicator (each on its own scale), stacked: axis i+1 spans its own band of the height.
    data, layout = [], {"showlegend": False}
    step = 1 / len(rows)
    colours = {"better": "#198754", "worse": "#e8760a", "none": "#0d6efd"}
    for i, (name, ind, value, stat) in enumerate(rows):
        label = ind.label(lang)
        # Better or worse than the median only where the registry gives the figure a direction.
        side = ("none" if ind.direction == "none" else
                "better" if (value >= stat["median"]) == (ind.direction == "higher") else "worse")
        lo, hi = min(value, stat["p25"]), max(value, stat["p75"])
        pad = (hi - lo) * 0.12 or 1.0  # axis room around the points, not a figure
        suffix = "" if i == 0 else str(i + 1)
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        data += [
            {"type": "scatter", "x": [stat["p25"], stat["p75"]], "y": [label, label], "mode": "lines",
             "line": {"color": "#ced4da", "width": 10}, "hoverinfo": "skip", **axes},
            {"type": "scatter", "x": [stat["median"]], "y": [label], "mode": "markers",
             "marker": {"symbol": "line-ns-open", "size": 16, "color": "#495057", "line": {"width": 2}},
             "hovertemplate": t("pf.col.median", lang) + f": {_text(stat['median'], ind.unit, lang)}<extra></extra>",
             **axes},
            {"type": "scatter", "x": [value], "y": [label], "mode": "markers",
             "marker": {"size": 11, "color": colours[side], "line": {"color": "#fff", "width": 1}},
             "hovertemplate": f"{label}: {_text(value, ind.unit, lang)}<extra></extra>", **axes},
        ]
        top = 1 - i * step
        layout[f"yaxis{suffix}"] = {"domain": [top - step + 0.045, top], "anchor": f"x{suffix}",
                                    "tickfont": {"size": 11}, "automargin": True}
        layout[f"xaxis{suffix}"] = {"domain": [0, 1], "anchor": f"y{suffix}", "range": [lo - pad, hi + pad],
                                    "tickfont": {"size": 9}, "nticks": 5}
    return html.Div([dcc.Graph(id="profile-peer-chart", figure=_figure(data, layout, 62 * len(rows) + 20),
                               config={**GRAPH_CONFIG, "displayModeBar": False}),
                     html.P(t("pf.range_note", lang), className="small text-muted mb-0")])


# ----------------------------------------------------------------------------------------------- RAT, digital
def _rat(data: read_profile.Profile, lang: str):
    def rupiah(v):
        if _missing(v):
            return "–"
        return "−" + fmt_rupiah(-v, lang) if v < 0 else fmt_rupiah(v, lang)

    if data.rat.empty:
        if data.meetings.empty:
            return html.P(t("pf.no_rat", lang), className="mb-0")
        head = (t("pf.col.fiscal_year", lang), t("pf.col.held_on", lang), t("pf.col.shu_total", lang),
                t("pf.col.shu_to_members", lang), t("pf.col.audited", lang), t("pf.col.statements", lang))
        body = [html.Tr([html.Td(int(r.fiscal_year)), html.Td(fmt_date(r.held_on, lang)), html.Td(rupiah(r.shu_total)),
                         html.Td(rupiah(r.shu_to_members)), html.Td(_yes_no(r.audited, lang)),
                         html.Td(_yes_no(r.statements_published, lang))]) for r in data.meetings.itertuples()]
        note = html.P(t("pf.rat_raw", lang), className="small text-muted")
    else:
        head = (t("pf.col.fiscal_year", lang), t("pf.col.held_on", lang), t("pf.col.on_time", lang),
                t("pf.col.grade", lang), t("pf.col.shu_total", lang), t("pf.col.shu_to_members", lang),
                t("pf.col.disclosed", lang), t("pf.col.audit_required", lang), t("pf.col.audited", lang))
        body = []
        for r in data.rat.itertuples():
            if not r.held:
                on_time = t("pf.not_held", lang)
            elif r.held_on_time:
                on_time = t("pf.yes", lang)
            elif not _missing(r.days_late):
                on_time = t("pf.late_days", lang, days=fmt_int(r.days_late, lang))
            else:
                on_time = t("pf.no", lang)
            body.append(html.Tr([
                html.Td(int(r.fiscal_year)), html.Td(fmt_date(r.held_on, lang) if not _missing(r.held_on) else "–"),
                html.Td(on_time, className="" if r.held_on_time else "text-danger"),
                html.Td(r.grade or "–", className="fw-semibold"), html.Td(rupiah(r.shu_total)),
                html.Td(rupiah(r.shu_to_members)), html.Td(_yes_no(r.shu_disclosed, lang)),
                html.Td(_yes_no(r.audit_required, lang)),
                html.Td(_yes_no(r.audited, lang),
                        className="text-danger" if bool(r.audit_missing) and not _missing(r.audit_missing) else ""),
            ]))
        note = None
    table = dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
                      size="sm", hover=True, responsive=True, className="profile-table mb-0", id="profile-rat")
    defined = (None if data.rat.empty else
               components.definitions(["rat_held", "rat_held_on_time", "rat_days_late", "rat_grade", "shu_disclosed",
                                       "audit_required", "audit_missing"], lang))
    return [note, table, defined]


def _digital(digital: pd.DataFrame, lang: str):
    if digital.empty:
        return html.P(t("pf.no_digital", lang), className="mb-0 small text-muted", id="profile-digital")
    head = (t("pf.col.stage", lang), t("pf.col.stage_date", lang), t("pf.col.platform", lang),
            t("pf.col.members_on_app", lang))
    body = []
    for r in digital.itertuples():
        stage = stage_label(r.stage, lang)
        if not r.is_current:
            stage = html.Span([stage, " ", dbc.Badge(t("pf.superseded", lang), color="light", text_color="dark")])
        body.append(html.Tr([html.Td(stage), html.Td(fmt_date(r.stage_date, lang)), html.Td(r.platform),
                             html.Td(fmt_int(r.members_on_app, lang), className="text-end")],
                            className="" if r.is_current else "text-muted"))
    return dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
                     size="sm", responsive=True, className="profile-table mb-0", id="profile-digital")


# ----------------------------------------------------------------------------------------------- lineage
def _reports_card(reports: pd.DataFrame, lang: str, simulated: bool):
    title = t("pf.reports", lang)
    frame = reports.assign(
        period=reports["period_end"].astype(str).str[:7],
        current=reports["is_current"].map(lambda v: t("pf.yes", lang) if v else t("pf.no", lang)),
        source_label=reports["source"].map(lambda s: labels.word(labels.SOURCES, s, lang)),
        run_started=reports["run_started_at"].map(lambda v: fmt_datetime(v, lang) if not _missing(v) else "–"),
        received=reports["received_at"].map(lambda v: fmt_datetime(v, lang) if not _missing(v) else "–"),
        submitted=reports["submitted_on"].astype("string").fillna("–"),
    )

    def col(field, header, **extra):
        return {"field": field, "headerName": header, **extra}

    def amount(field):
        return col(field, t_marked(REPORT_AMOUNT_HEADERS[field], lang), width=150, type="numericColumn",
                   filter="agNumberColumnFilter",
                   valueFormatter={"function": f"rankingsNumber(params.value, 0, '{lang}')"})

    columns = [
        col("period", t("pf.col.period", lang), width=110, sort="desc", pinned="left"),
        col("revision", t("pf.col.revision", lang), width=95, type="numericColumn"),
        col("current", t("pf.col.current", lang), width=100),
        # Amounts this cooperative never reports (loans of a consumer cooperative) are left out.
        *(amount(a) for a in read_profile.REPORT_AMOUNTS if reports[a].notna().any()),
        col("source_label", t("pf.col.source", lang), width=200),
        col("ingest_run_id", t("pf.col.run", lang), width=120, type="numericColumn"),
        col("run_target", t("pf.col.run_target", lang), minWidth=260, flex=1),
        col("source_row", t("pf.col.source_row", lang), width=90, type="numericColumn"),
        col("run_started", t("pf.col.run_started", lang), width=200),
        col("submitted", t("pf.col.submitted_on", lang), width=120),
        col("received", t("pf.col.received_at", lang), width=200),
    ]
    fields = [c["field"] for c in columns]
    n_periods = reports["period_end"].nunique()
    body = [
        html.P([t("pf.reports_note", lang), " ",
                html.Span(t("pf.reports_count", lang, n=fmt_int(len(reports), lang), periods=fmt_int(n_periods, lang)),
                          id="profile-reports-count", className="fw-semibold")], className="small text-muted"),
        components.grid("profile-reports-grid", frame[fields], columns, lang, height=460, simulated=simulated),
    ]
    return _card(title, body, "profile-reports", class_name="mb-3")


def register_callbacks(app) -> None:
    """The profile has no callbacks of its own: it is rendered from the URL; the grid export is shared."""


__all__ = ["PAGE", "layout", "register_callbacks"]
