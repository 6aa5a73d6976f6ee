"""Whole Dash callback answers, cached: the same inputs, language, role and kabupaten scope on the same data version
give the same bytes, so the second reader of a page gets them without rendering it again (in this process, or
from the store every worker shares). Only an answer the reader may have is ever looked up (the cache wraps the callback view itself, which runs after every check); a page opts out with PAGE["cache"] = False (its answers depend on the user)
or bounds how old an answer may be with PAGE["cache"] = seconds (a page that shows how late a source is); the
callbacks that record an audit entry (a download) are named in PAGE["never_cached"] (their output ids) and always run."""
from __future__ import annotations

import hashlib
import time

import dash
import flask

from layouts import access, context
from layouts.access.guards import CALLBACK_PAGES
from warehouse import queries

HIT_HEADER = "X-Pantau-Cache"
ROUTER_OUTPUT = "_pages_content.children"
SHARED_CACHEABLE = (ROUTER_OUTPUT,)  # callbacks of no page that may be cached (the page router; not the grids'
# download-audit callbacks, which write to the audit log)


def install(app) -> None:
    server = app.server
    policies = {page["module"].rsplit(".", 1)[-1]: page.get("cache", True) for page in dash.page_registry.values()}
    # a page's callbacks that must always run (a download recorded in the audit log): PAGE["never_cached"] = ids
    never = {output for page in dash.page_registry.values() for output in page.get("never_cached", ())}
    routes = [(page["path_template"] or page["path"], page["module"].rsplit(".", 1)[-1])
              for page in dash.page_registry.values()]

    def page_of_path(path: str) -> str | None:
        for template, name in routes:
            if "<" in template:
                if path.startswith(template.split("<", 1)[0]) and template.split("<", 1)[0] != "/":
                    return name
            elif path.rstrip("/") == template.rstrip("/") or (template == "/" and path == "/"):
                return name
        return None

    def policy() -> bool | int:
        body = flask.request.get_json(silent=True)
        if not isinstance(body, dict):
            return False
        output = str(body.get("output", ""))
        if output.lstrip(".").split(".", 1)[0] in never:
            return False
        page = server.config.get(CALLBACK_PAGES, {}).get(output)
        if page is None:
            if not output.startswith(".." + ROUTER_OUTPUT) and not output.startswith(SHARED_CACHEABLE):
                return False
            inputs = {f"{i.get('id')}.{i.get('property')}": i.get("value") for i in body.get("inputs", [])
                      if isinstance(i, dict)}
            page = page_of_path(str(inputs.get("_pages_location.pathname") or "/"))
        return policies.get(page, False) if page else False

    # what the app was configured with (the boundary file, the default language …) shapes its answers too
    configured = hashlib.sha256(server.config["PANTAU_SETTINGS"].model_dump_json().encode()).hexdigest()
    endpoint = next(rule.endpoint for rule in server.url_map.iter_rules()
                    if rule.rule.endswith("/_dash-update-component"))
    dispatch = server.view_functions[endpoint]

    def cached_dispatch(*args, **kwargs):
        # The view runs after every before_request check (origin, log-in, the page's and the callback's rule), so
        # an answer is only ever looked up for a request the app already let through.
        allowed = policy()
        if allowed is False:
            return dispatch(*args, **kwargs)
        bucket = int(time.time() // allowed) if allowed is not True else 0
        role = access.current_role() if access.installed() else "open"
        scope = access.current_scope() if access.installed() else None
        key = queries.answer_key(context.engine(), "dash-callback", configured, context.lang(), role, scope or "",
                                 access.policy_fingerprint(), bucket, flask.request.get_data(cache=True))
        hit = queries.answer_get(key)
        if hit is not None:
            answer = flask.Response(hit, mimetype="application/json")
            answer.headers[HIT_HEADER] = "hit"
            return answer
        answer = flask.make_response(dispatch(*args, **kwargs))
        if answer.status_code == 200 and not answer.direct_passthrough:
            queries.answer_set(key, answer.get_data())
            answer.headers[HIT_HEADER] = "miss"
        return answer

    server.view_functions[endpoint] = cached_dispatch
