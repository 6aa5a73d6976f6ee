"""The global filters (period, kabupaten/kota, cooperative type, population) live in the URL query string, so every
view is a shareable link: `?periode=2026-09&kab=5371&jenis=simpan_pinjam&cakupan=semua`. Pages read them with `parse(query)` and show the
bar with `bar(...)`; changing a filter rewrites the URL and Dash renders the page again from it."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from indicators.vocabulary import DEFAULT_SCOPE
from layouts import labels
from layouts.i18n import fmt_period, t
from warehouse import queries
from warehouse.export import params

# URL parameter names (Indonesian, as the links are shared among Dinas staff): the API's own.
PERIOD, REGENCY, TYPE, SCOPE = params.P_PERIOD, params.P_REGENCY, params.P_TYPE, params.P_SCOPE
TYPES = params.TYPES


@dataclass(frozen=True)
class Filters:
    period: date | None  # a month end; None only when the warehouse has no roll-ups yet
    regency: str | None  # Kemendagri code, None = the whole province
    type: str | None  # cooperative type, None = all
    periods: tuple[date, ...] = field(default=(), repr=False)  # what the period filter offers, newest first
    ignored: tuple[str, ...] = ()  # parameters that were present but not valid (shown to the reader)
    # the population: "daerah" (the cooperatives the regional government supervises, the default) or "semua"
    scope: str = DEFAULT_SCOPE

    @property
    def period_key(self) -> str | None:
        return params.month_key(self.period)

    @property
    def scope_param(self) -> str | None:
        """The scope as the URL carries it: absent for the default."""
        return None if self.scope == DEFAULT_SCOPE else self.scope

    def query(self, **changes) -> str:
        """The URL query string of these filters (with `changes`), for links that keep the reader's view."""
        params = {PERIOD: self.period_key, REGENCY: self.regency, TYPE: self.type, SCOPE: self.scope_param}
        params.update(changes)
        kept = {k: v for k, v in params.items() if v not in (None, "")}
        return "?" + urlencode(kept) if kept else ""


def one_value_each(layout_fn):
    """A page layout that takes each query parameter once: Dash pages hand a repeated parameter
    (`?kab=5371&kab=5301`) over as a list, which no page expects; the first value counts, as in Flask's
    `request.args.get`."""

    @functools.wraps(layout_fn)
    def layout(**query):
        return layout_fn(**{k: (v[0] if v else None) if isinstance(v, (list, tuple)) else v for k, v in query.items()})

    return layout


def parse(query: dict, engine) -> Filters:
    """Validated filters from a page's query parameters, by the API's own parameter model (one grammar, one set of
    rules); where the API would refuse a value, the page falls back to the default (latest period, whole province,
    all types) and lists the parameter in `ignored`. A well-formed month without roll-ups falls back too."""
    periods = tuple(queries.periods(engine))
    chosen, refused = params.read_lenient({name: query.get(name) for name in (PERIOD, REGENCY, TYPE, SCOPE)})
    ignored = {p.parameter for p in refused}
    period = chosen.period
    if period is not None and period not in periods:
        ignored.add(PERIOD)
        period = None
    return Filters(period or (periods[0] if periods else None), chosen.regency, chosen.type, periods,
                   tuple(name for name in (PERIOD, REGENCY, TYPE, SCOPE) if name in ignored),
                   chosen.scope or DEFAULT_SCOPE)


def bar(filters: Filters, lang: str, engine, fields: tuple[str, ...] = (PERIOD, REGENCY, TYPE, SCOPE), extra=None):
    """The filter bar: one drop-down per field; `extra` adds page-specific controls on the same row."""
    cols = []
    if PERIOD in fields:
        options = [{"label": fmt_period(p, lang), "value": p.strftime("%Y-%m")} for p in filters.periods]
        cols.append(_dropdown(PERIOD, t("filter.period", lang), options, filters.period_key, clearable=False))
    if REGENCY in fields:
        regencies = queries.regencies(engine)
        options = [{"label": row.name, "value": row.code} for row in regencies.itertuples()]
        cols.append(_dropdown(REGENCY, t("filter.regency", lang), options, filters.regency,
                              placeholder=t("filter.all_regencies", lang)))
    if TYPE in fields:
        options = [{"label": labels.word(labels.COOP_TYPES, v, lang), "value": v} for v in TYPES]
        cols.append(_dropdown(TYPE, t("filter.type", lang), options, filters.type,
                              placeholder=t("filter.all_types", lang)))
    if SCOPE in fields:
        options = [{"label": t("filter.scope.daerah", lang), "value": "daerah"},
                   {"label": t("filter.scope.semua", lang), "value": "semua"}]
        cols.append(_dropdown(SCOPE, t("filter.scope", lang), options, filters.scope, clearable=False))
    for control in extra or ():
        cols.append(dbc.Col(control, xs=12, md=6, lg=3))
    notice = None
    if filters.ignored:
        notice = dbc.Alert(t("filter.ignored", lang, names=", ".join(filters.ignored)), color="warning",
                           className="py-1 small mb-2", id="filter-ignored")
    return html.Div([notice, dbc.Row(cols, className="g-2 mb-3 filter-bar")])


def _dropdown(name: str, label: str, options: list[dict], value, **kwargs):
    return dbc.Col(
        html.Div([
            dbc.Label(label, className="small text-muted mb-0", html_for=f"filter-{name}"),
            dcc.Dropdown(id={"type": "filter", "name": name}, options=options, value=value, **kwargs),
        ]),
        xs=12, md=6, lg=3,
    )


def register_callbacks(app) -> None:
    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input({"type": "filter", "name": ALL}, "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def _write_filters_to_url(values, search):
        params = dict(parse_qsl((search or "").lstrip("?")))
        for spec, value in zip(ctx.inputs_list[0], values):
            name = spec["id"]["name"]
            if value in (None, "", []) or (name == SCOPE and value == DEFAULT_SCOPE):
                params.pop(name, None)
            else:
                params[name] = str(value)
        new = "?" + urlencode(params) if params else ""
        if new == (search or ""):
            raise PreventUpdate
        return new
