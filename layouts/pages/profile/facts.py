"""The profile's registry card: the cooperative's facts as the registry holds them, in the reader's words."""
from __future__ import annotations

from dash import dcc, html

from layouts import components, labels
from layouts.i18n import N_, fmt_date, missing, t, t_marked

# The reader's words for the values the registry holds.
# The reader's words for the values the registry, the scores and the reports hold.
FACTS = (("nik", N_("pf.fact.nik")), ("regency", N_("pf.fact.regency")), ("district", N_("pf.fact.district")),
         ("type", N_("pf.fact.type")), ("group", N_("pf.fact.group")), ("status", N_("pf.fact.status")),
         ("legal_entity_number", N_("pf.fact.legal_entity_number")),
         ("certificate_status", N_("pf.fact.certificate_status")), ("registry_grade", N_("pf.fact.registry_grade")),
         ("established_year", N_("pf.fact.established_year")), ("last_rat_date", N_("pf.fact.last_rat_date")),
         ("membership_area", N_("pf.fact.membership_area")), ("programme", N_("pf.fact.programme")))
STATUSES = {"active": N_("pf.status.active"), "inactive": N_("pf.status.inactive"),
            "dissolved": N_("pf.status.dissolved")}
CERTIFICATES = {"bersertifikat": N_("pf.cert.bersertifikat"), "belum_bersertifikat": N_("pf.cert.belum_bersertifikat")}
GROUPS = {"Kopdit": N_("pf.group.Kopdit"), "lainnya": N_("pf.group.lainnya")}


def facts(reg: dict, lang: str, snap=None):
    """The registry facts as a definition list (missing ones as "–"), with the supervisor the latest snapshot
    stored (the registry's rule: Permenkop 9/2020, OJK for open loop)."""
    def value(key):
        raw = reg.get(key)
        if missing(raw) or raw == "":
            return "–"
        if key in ("status", "certificate_status", "type", "group"):
            table = {"status": STATUSES, "certificate_status": CERTIFICATES, "type": labels.COOP_TYPES,
                     "group": GROUPS}[key]
            return labels.word(table, raw, lang)
        if key == "last_rat_date":
            return fmt_date(raw, lang)
        if key == "established_year":
            return str(int(raw))
        if key == "membership_area":
            return labels.word(labels.MEMBERSHIP_AREAS, raw, lang)
        if key == "programme":
            words = labels.word(labels.PROGRAMMES, raw, lang)
            code = reg.get("village_code")
            if raw == "kdmp" and isinstance(code, str) and code:
                return [words, " · ", dcc.Link(t("pf.kdmp_village", lang, code=code),
                                               href=f"/kopdes-merah-putih?kab={code[:4]}&desa={code}",
                                               id="profile-kdmp-link")]
            return words
        return str(raw)

    items = []
    for key, name in FACTS:
        shown = reg.get("regency_name") or reg["regency_code"] if key == "regency" else value(key)
        items += [html.Dt(t_marked(name, lang), className="col-5"),
                  html.Dd(shown, className="col-7", id=f"profile-fact-{key}")]
    if snap is not None and not missing(snap.get("supervisor")):
        who = snap.get("supervisor")
        shown = components.figure("supervisor", who, lang, components.snapshot_scope(reg["nik"], snap["period_end"]),
                                  text=labels.word(labels.SUPERVISORS, who, lang))
        items += [html.Dt(t("pf.fact.supervisor", lang), className="col-5"),
                  html.Dd(shown, className="col-7", id="profile-fact-supervisor")]
    return html.Dl(items, className="row profile-facts mb-0")
