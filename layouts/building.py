"""The first start's gate: while the demo province is being built, every page answers with the build's progress
(the page reloads itself until the dashboard is ready) and `GET /status.json` (public) says how far it is; once
the warehouse is ready the gate lets everything through and stops looking."""
from __future__ import annotations

import threading

import flask

from layouts import context
from layouts.access import templates
from layouts.i18n import N_, t, t_marked
from warehouse import build_state

OPEN_DURING_BUILD = ("/status.json", "/assets/", "/lang/")
RETRY_SECONDS = 2


def install(app) -> None:
    server = app.server
    templates.install(server)
    ready_seen = threading.Event()  # a build runs once, at the first start: after "ready", no more reads

    @server.route("/status.json")
    def status_json():
        status, version = build_state.read(context.engine())
        answer = flask.jsonify(status.public(version))
        answer.headers["Cache-Control"] = "no-store"
        return answer

    @server.before_request
    def _gate():
        if ready_seen.is_set():
            return None
        status, _version = build_state.read(context.engine())
        if status.ready:
            ready_seen.set()
            return None
        path = flask.request.path
        if path.startswith(OPEN_DURING_BUILD):
            return None
        if flask.request.method == "GET" and not path.startswith(("/_dash", "/api/")):
            return _progress_page(status)
        lang = context.lang()
        answer = flask.jsonify({"error": "starting", "pesan": t("build.starting", "id"),
                                "message": t("build.starting", "en"), "retry_after": RETRY_SECONDS})
        answer.status_code = 503
        answer.headers["Retry-After"] = str(RETRY_SECONDS)
        answer.headers["Content-Language"] = lang
        return answer


def _progress_page(status: build_state.BuildStatus) -> flask.Response:
    lang = context.lang()
    public = status.public(0)
    answer = templates.render(
        "building.html", t("build.title", lang), status=503, percent=round(100 * status.progress),
        phase=t_marked(_PHASE_KEYS.get(status.phase, _PHASE_KEYS["generate"]), lang),
        files=t("build.files", lang, done=status.files_done, total=status.files_total) if status.files_total else "",
        rows=t("build.rows", lang, rows=f"{status.rows:,}".replace(",", "." if lang == "id" else ",")),
        left=t("build.left", lang, seconds=public["seconds_left"]) if public["seconds_left"] is not None else "",
        elapsed=t("build.elapsed", lang, seconds=public["seconds_elapsed"] or 0), refresh=RETRY_SECONDS)
    answer.headers["Retry-After"] = str(RETRY_SECONDS)
    answer.headers["Cache-Control"] = "no-store"
    return answer


# each phase's text (marked literal keys, so extraction finds them; tests/layouts/test_translations.py)
_PHASE_KEYS = {
    "generate": N_("build.phase.generate"),
    "write": N_("build.phase.write"),
    "inbox": N_("build.phase.inbox"),
    "platform": N_("build.phase.platform"),
    "registry": N_("build.phase.registry"),
    "score": N_("build.phase.score"),
}
