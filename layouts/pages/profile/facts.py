"""The profile's registry card: the cooperative's facts as the registry holds them, in the reader's words."""
from __future__ import annotations

from dash import html

from layouts import labels
from layouts.i18n import N_, fmt_date, missing, t_marked

# The reader's words for the values the registry holds.
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


def facts(reg: dict, lang: str):
    """The registry facts as a definition list (missing ones as "–")."""
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
        return str(raw)

    items = []
    for key, name in FACTS:
        shown = reg.get("regency_name") or reg["regency_code"] if key == "regency" else value(key)
        items += [html.Dt(t_marked(name, lang), className="col-5"),
                  html.Dd(shown, className="col-7", id=f"profile-fact-{key}")]
    return html.Dl(items, className="row profile-facts mb-0")
