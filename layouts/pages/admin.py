"""Akun & Akses / Account & access: every user's e-mail address and alerts (which rules, the daily digest); an
analyst's or admin's API tokens (create — shown once —, list, revoke); for admins also every token, the users and
the audit log (a grid that exports as CSV). The role is checked on the server in the layout and in the callback,
whatever the menu shows."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from layouts import access, components, context, labels, notices
from layouts.i18n import N_, fmt_datetime, t
from warehouse import audit, queries, tokens, users

PAGE = {"path": "/admin", **components.page_names(N_("page.admin")), "order": 95, "access": "official",
        "cache": False}  # (the reader's own tokens and alerts: never a cached answer)
AUDIT_ROWS = 1000
TOKEN_STATUSES = {"active": N_("admin.status.active"), "expired": N_("admin.status.expired"),
                  "revoked": N_("admin.status.revoked")}


def _when(value) -> str:
    return "" if value is None or pd.isna(value) else fmt_datetime(value, context.lang())


def token_table(lang: str):
    """The reader's tokens (an admin: everyone's), newest first, with a revoke button on each live one."""
    user = access.current_user()
    is_admin = access.current_role() == "admin"
    frame = tokens.list_tokens(context.engine(), None if is_admin else user.username)
    if frame.empty:
        return html.P(t("admin.token.none", lang), className="text-muted mb-0", id="adm-token-none")
    frame = frame.sort_values("id", ascending=False)
    head = [t("admin.col.id", lang)] + ([t("admin.col.user", lang)] if is_admin else []) + [
        t("admin.col.name", lang), t("admin.col.prefix", lang), t("admin.col.status", lang),
        t("admin.col.created", lang), t("admin.col.expires", lang), t("admin.col.last_used", lang), ""]
    rows = []
    for r in frame.itertuples():
        live = r.status == "active"
        cells = [r.id] + ([r.username] if is_admin else []) + [
            r.name, html.Code(r.prefix + "…"),
            dbc.Badge(labels.word(TOKEN_STATUSES, r.status, lang), color="success" if live else "secondary"),
            _when(r.created_at), _when(r.expires_at), _when(r.last_used_at),
            dbc.Button(t("admin.token.revoke", lang), id={"type": "adm-token-revoke", "id": int(r.id)}, size="sm",
                       color="danger", outline=True) if live else ""]
        rows.append(html.Tr([html.Td(c) for c in cells], id=f"adm-token-row-{r.id}"))
    return html.Div(dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)], size="sm",
                              striped=True, className="mb-0 small align-middle", id="adm-token-list"),
                    className="table-responsive")


def token_card(lang: str):
    form = dbc.Row([
        dbc.Col([dbc.Label(t("admin.token.name", lang), html_for="adm-token-name", className="small"),
                 dbc.Input(id="adm-token-name", maxLength=80, size="sm")], xs=12, md=5),
        dbc.Col([dbc.Label(t("admin.token.days", lang), html_for="adm-token-days", className="small"),
                 dbc.Input(id="adm-token-days", type="number", min=1, max=3650, step=1, size="sm")], xs=12, md=4),
        dbc.Col(dbc.Button(t("admin.token.create", lang), id="adm-token-create", color="primary", size="sm",
                           className="w-100"), xs=12, md=3, className="d-flex align-items-end mt-2 mt-md-0"),
    ], className="g-2 mb-3")
    heading = t("admin.tokens.all", lang) if access.current_role() == "admin" else t("admin.tokens", lang)
    return dbc.Card(dbc.CardBody([
        html.H2(heading, className="h5"),
        dcc.Markdown(t("admin.tokens.help", lang), className="small text-muted"),
        form,
        html.Div(id="adm-token-result"),
        html.Div(token_table(lang), id="adm-token-table"),
    ]), className="shadow-sm mb-3")


def users_card(lang: str, simulated: bool):
    frame = users.list_users(context.engine())
    regencies = queries.regencies(context.engine()).set_index("code")["short_name"].to_dict()
    shown = pd.DataFrame({
        "username": frame["username"], "full_name": frame["full_name"].fillna(""),
        "role": [labels.word(labels.ROLES, r, lang) for r in frame["role"]],
        "regency": [regencies.get(c, c) if c else "" for c in frame["regency_code"]],
        "active": [t("admin.yes", lang) if a else t("admin.no", lang) for a in frame["active"]],
        "locked_until": [_when(v) for v in frame["locked_until"]],
        "last_login_at": [_when(v) for v in frame["last_login_at"]],
        "tokens": frame["tokens"].astype(int),
        "email": [(e or "") + ("" if d or not e else " ✕") for e, d in zip(frame["email"], frame["digest"])],
    })
    columns = [{"field": f, "headerName": h, "minWidth": 140, "flex": 1} for f, h in (
        ("username", t("admin.col.user", lang)), ("full_name", t("admin.col.full_name", lang)),
        ("role", t("admin.col.role", lang)), ("regency", t("admin.col.regency", lang)),
        ("active", t("admin.col.active", lang)), ("locked_until", t("admin.col.locked", lang)),
        ("last_login_at", t("admin.col.last_login", lang)), ("tokens", t("admin.col.tokens", lang)),
        ("email", t("admin.col.email", lang)))]
    return dbc.Card(dbc.CardBody([
        html.H2(t("admin.users", lang), className="h5"),
        dcc.Markdown(t("admin.users.help", lang), className="small text-muted"),
        components.grid("adm-users", shown, columns, lang, height=320, page_size=20, simulated=simulated),
    ]), className="shadow-sm mb-3")


def audit_card(lang: str, simulated: bool):
    frame = audit.read_audit(context.engine(), limit=AUDIT_ROWS)
    shown = pd.DataFrame({"at": [_when(v) for v in frame["at"]], "username": frame["username"].fillna(""),
                          "action": frame["action"], "detail": frame["detail"].fillna(""),
                          "ip": frame["ip"].fillna("")})
    columns = [{"field": "at", "headerName": t("admin.col.at", lang), "width": 250},
               {"field": "username", "headerName": t("admin.col.user", lang), "width": 150},
               {"field": "action", "headerName": t("admin.col.action", lang), "width": 150},
               {"field": "detail", "headerName": t("admin.col.detail", lang), "flex": 1, "minWidth": 240},
               {"field": "ip", "headerName": t("admin.col.ip", lang), "width": 140}]
    return dbc.Card(dbc.CardBody([
        html.H2(t("admin.audit", lang), className="h5"),
        components.grid("adm-audit", shown, columns, lang, height=480, page_size=20, simulated=simulated),
    ]), className="shadow-sm mb-3")


def alerts_card(lang: str):
    """The reader's e-mail address, the alert rules they receive (on the Notifikasi page and in the digest) and
    whether the daily digest is sent."""
    info = users.get_user(context.engine(), username=access.current_user().username)
    options = [{"label": html.Span([notices.rule_label(r, lang), html.Br(),
                                    html.Small(notices.rule_description(r, lang), className="text-muted")]),
                "value": r} for r in notices.RULES]
    return dbc.Card(dbc.CardBody([
        html.H2(t("admin.alerts", lang), className="h5", id="adm-alerts"),
        html.P(t("admin.alerts.help", lang), className="small text-muted"),
        dbc.Row([dbc.Col([dbc.Label(t("admin.email", lang), html_for="adm-email", className="small"),
                          dbc.Input(id="adm-email", type="email", value=info.email or "", maxLength=254, size="sm",
                                    placeholder="nama@contoh.go.id")], xs=12, md=6)], className="mb-2"),
        dbc.Switch(id="adm-digest", value=bool(info.digest), label=t("admin.digest", lang), className="mb-2"),
        dbc.Label(t("admin.rules", lang), className="small fw-semibold"),
        dbc.Checklist(id="adm-rules", options=options, value=[r for r in notices.RULES if r not in info.muted_rules],
                      className="small mb-2", input_class_name="me-2", label_class_name="mb-2"),
        dbc.Button(t("admin.alerts.save", lang), id="adm-alerts-save", color="primary", size="sm"),
        html.Div(id="adm-alerts-result", className="mt-2"),
    ]), className="shadow-sm mb-3")


def layout(**_query):
    lang = context.lang()
    if not access.may_open("admin"):
        return access.denied_panel("admin", lang, PAGE["path"])
    user = access.current_user()
    who = t("admin.you", lang, user=user.username, role=labels.word(labels.ROLES, user.role, lang))
    if user.regency_code:
        who += " · " + t("admin.scope", lang, regency=user.regency_code)
    parts = [components.page_header(t("page.admin", lang), t("admin.subtitle", lang)),
             html.P(who, className="small", id="adm-you"), alerts_card(lang)]
    if access.can("api"):
        parts.append(token_card(lang))
    if access.can("manage_users"):
        simulated = queries.status(context.engine()).is_demo
        parts += [users_card(lang, simulated), audit_card(lang, simulated)]
    return html.Div(parts, className="admin-page")


def register_callbacks(app) -> None:
    @app.callback(
        Output("adm-alerts-result", "children"),
        Input("adm-alerts-save", "n_clicks"),
        State("adm-email", "value"),
        State("adm-digest", "value"),
        State("adm-rules", "value"),
        prevent_initial_call=True,
    )
    def _save_alerts(clicks, email, digest, chosen):
        user = access.current_user()
        if not clicks or user is None:
            raise PreventUpdate
        lang = context.lang()
        engine = context.engine()
        chosen = [r for r in (chosen or []) if r in notices.RULES]
        try:
            current = users.get_user(engine, username=user.username)
            email = (email or "").strip() or None
            if email != current.email:
                users.set_email(engine, user.username, email, by=user.username, ip=access.client_ip())
            users.set_alert_preferences(engine, user.username, [r for r in notices.RULES if r not in chosen],
                                        bool(digest) and email is not None, notices.RULES, by=user.username,
                                        ip=access.client_ip(), language=lang)
        except users.UserError:
            return dbc.Alert(t("admin.email.bad", lang), color="danger", className="py-2", id="adm-alerts-message")
        return dbc.Alert(t("admin.alerts.saved", lang), color="success", className="py-2", id="adm-alerts-message")

    @app.callback(
        Output("adm-token-result", "children"),
        Output("adm-token-table", "children"),
        Input("adm-token-create", "n_clicks"),
        Input({"type": "adm-token-revoke", "id": ALL}, "n_clicks"),
        State("adm-token-name", "value"),
        State("adm-token-days", "value"),
        prevent_initial_call=True,
    )
    def _tokens(_create, _revoke, name, days):
        # Checked here too: a crafted request must not create or revoke tokens for a role without API access.
        if access.current_user() is None or not access.can("api"):
            raise PreventUpdate
        lang = context.lang()
        engine = context.engine()
        user = access.current_user()
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and trigger.get("type") == "adm-token-revoke":
            if not any(ctx.triggered[i]["value"] for i in range(len(ctx.triggered))):
                raise PreventUpdate  # a button appeared (re-render), nobody clicked it
            owner = None if access.can("manage_users") else user.username
            done = tokens.revoke_token(engine, int(trigger["id"]), owner=owner, by=user.username, ip=access.client_ip())
            if not done:
                raise PreventUpdate
            message = dbc.Alert(t("admin.token.revoked", lang, id=trigger["id"]), color="info", className="py-2",
                                id="adm-token-message")
            return message, token_table(lang)
        if trigger != "adm-token-create":
            raise PreventUpdate
        if not (name or "").strip():
            return dbc.Alert(t("admin.token.need_name", lang), color="warning", className="py-2",
                             id="adm-token-message"), no_update
        try:
            days_value = int(days) if days not in (None, "") else None
            token_id, token = tokens.create_token(engine, user.username, name, days_value, by=user.username,
                                                 ip=access.client_ip())
        except (users.UserError, ValueError) as exc:
            return dbc.Alert(t("admin.token.error", lang, error=str(exc)), color="danger", className="py-2",
                             id="adm-token-message"), no_update
        shown = dbc.Alert([
            html.Div(t("admin.token.created", lang, name=name.strip()), className="mb-2"),
            html.Div([html.Code(token, id="adm-new-token", className="user-select-all me-2 text-break"),
                      dcc.Clipboard(target_id="adm-new-token", title="copy", style={"display": "inline-block"})]),
        ], color="success", className="py-2", id="adm-token-message")
        return shown, token_table(lang)


__all__ = ["PAGE", "layout", "register_callbacks"]
