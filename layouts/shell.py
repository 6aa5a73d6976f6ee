"""The frame around every page: navigation bar built from the page registry, language switch, footer."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_wtf.csrf import generate_csrf

from layouts import access, context, labels
from layouts.access.page_guard import login_href
from layouts.access.policy import short_name
from layouts.i18n import fmt_datetime, fmt_period, simulated_texts, t, t_marked
from warehouse import queries


# A bell drawn here (an emoji is a box where the office's computer has no emoji font); data: images pass the CSP.
BELL = ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='16' height='16' viewBox='0 0 16 16' "
        "fill='white'><path d='M8 16a2 2 0 0 0 2-2H6a2 2 0 0 0 2 2zM8 1.5a1 1 0 0 0-1 1v.6A4.5 4.5 0 0 0 3.5 7.5V11"
        "L2 12.5v.5h12v-.5L12.5 11V7.5A4.5 4.5 0 0 0 9 3.1v-.6a1 1 0 0 0-1-1z'/></svg>")


def user_menu(lang: str):
    """A login link, or the user's name and role with a logout button (a POST form carrying the CSRF token)."""
    user = access.current_user()
    if user is None:
        return html.A(t("auth.login", lang), href=login_href("/"), id="auth-login",
                      className="btn btn-light btn-sm ms-lg-3")
    label = user.username + " · " + labels.word(labels.ROLES, user.role, lang)
    if user.regency_code:
        label += f" ({user.regency_code})"
    # Notifikasi sits here, not among the pages: a bell beside the reader's name keeps the menu on its lines
    bell = html.A(html.Img(src=BELL, width=16, height=16, alt=t("page.notifications", lang)), href="/notifikasi",
                  title=t("page.notifications", lang), id="nav-notifications",
                  className="btn btn-outline-light btn-sm me-2") if access.may_open("notifications") else None
    return html.Form(
        [bell, html.Span(label, className="text-light small me-2", id="auth-user"),
         # (Dash has no html.Input: the submit button itself carries the CSRF token as its name/value pair.)
         html.Button(t("auth.logout", lang), type="submit", name="csrf_token", value=generate_csrf(),
                     className="btn btn-outline-light btn-sm", id="auth-logout")],
        action="/logout", method="POST", className="d-flex align-items-center ms-lg-3", id="auth-menu")


def navbar(lang: str):
    # With access control, a page is in the menu only for those who may open it (the server refuses the others
    # anyway), and the login/logout menu is added.
    guarded = access.installed()
    links = [
        dbc.NavItem(dbc.NavLink(t_marked(page["name"], lang), href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
        if page.get("nav", True) and (not guarded or access.may_open(short_name(page["module"])))
    ]
    other = "en" if lang == "id" else "id"
    switch = html.A(
        t("lang.switch", lang), id="lang-switch", href=f"/lang/{other}", className="btn btn-outline-light btn-sm ms-lg-3"
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(t("app.title", lang), href="/", className="fw-bold"),
                dbc.NavbarToggler(id="nav-toggler"),
                dbc.Collapse(dbc.Nav(links + [switch] + ([user_menu(lang)] if guarded else []),
                                     className="ms-auto align-items-lg-center", navbar=True),
                             id="nav-collapse", navbar=True),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-2",
    )


def simulated_banner(lang: str, status: queries.Status):
    if not status.is_demo:
        return None
    badge, note = simulated_texts(lang)
    return dbc.Alert(
        [html.Strong(badge, className="me-2"), note],
        color="warning",
        className="py-2 mb-2",
        id="simulated-banner",
    )


def footer(lang: str, status: queries.Status, office: str = "", province: str = ""):
    if status.as_of is None:
        as_of = t("footer.no_data", lang)
    else:
        as_of = t("footer.as_of", lang, date=fmt_period(status.as_of, lang))
    sources = ", ".join(labels.word(labels.SOURCES, s, lang) for s in status.sources) or "–"
    parts = [
        html.Span(t("footer.office", lang, office=office, province=province), id="footer-office",
                  className="me-3 fw-semibold") if office else None,
        html.Span(as_of, id="footer-as-of", className="me-3"),
        html.Span(t("footer.source", lang, sources=sources), className="me-3"),
        html.Span(t("footer.version", lang, version=status.data_version), className="me-3 text-muted"),
    ]
    if status.last_load is not None:
        parts.append(html.Span(fmt_datetime(status.last_load, lang), className="text-muted"))
    if status.is_demo:
        parts.insert(0, dbc.Badge(simulated_texts(lang)[0], color="warning", text_color="dark", className="me-3"))
    return html.Footer(dbc.Container(parts, fluid=True), className="border-top py-2 mt-4 small bg-light", id="footer")


def layout():
    """The app layout, built per page load so the language cookie and the data version are current."""
    lang = context.lang()
    status = queries.status(context.engine())
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            navbar(lang),
            dbc.Container([simulated_banner(lang, status), dash.page_container], fluid=True, className="px-3"),
            footer(lang, status, context.settings().OFFICE_NAME, context.settings().PROVINCE_NAME),
        ]
    )


def register_language_route(server) -> None:
    """`/lang/<code>` sets the language cookie and goes back where the reader came from."""
    import flask

    from layouts.i18n import LANG_COOKIE, LANGUAGES

    @server.route("/lang/<code>")
    def _set_language(code: str):
        target = flask.request.referrer or "/"
        if not target.startswith(flask.request.host_url):
            target = "/"
        response = flask.redirect(target)
        if code in LANGUAGES:
            response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response


