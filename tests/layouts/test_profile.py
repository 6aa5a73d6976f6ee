"""Profil koperasi rendered in-process on the small province: a cooperative's registry facts, its snapshot's health
(the one the Rankings show) with the aspects of the report behind it, its stored ratios and percentiles against the
peer group, RAT and report history (with the ingest run each row came from), against the warehouse read directly;
unknown and invalid NIKs; health cut-offs from the norm files."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators import norms as norm_files, registry
from layouts.i18n import fmt_int, fmt_number
from tests.support.components import find, text_of, walk
from tests.support.cooperative import profile_facts
from tests.support.pages import render
from warehouse.models import PEER_INDICATORS


def raw(value) -> str:
    """A stored value as a figure's data-value attribute writes it."""
    return "" if value is None or value != value else repr(float(value))


def test_profile_layout_shows_the_warehouse_figures(page_app, province_url):
    want = profile_facts(province_url)
    page = render(page_app, "profile", f"/koperasi/{want['nik']}", nik=want["nik"])
    assert want["name"] in text_of(find(page, "profile-name"))
    # the headline is the snapshot's score, which is the score of the report it comes from
    assert want["total"] == pytest.approx(want["score_total"])
    assert text_of(find(page, "profile-score")) == fmt_number(want["total"], 1, "id")
    badge = find(page, "profile-category")
    assert badge.to_plotly_json()["props"]["data-value"] == want["snapshot"].health_category
    maxima, points = find(page, "profile-aspects").figure["data"]
    # permodalan 15, kualitas aktiva produktif 25, manajemen 15, efisiensi 10, likuiditas 15, kemandirian 10,
    # jatidiri 10 — drawn bottom-up
    assert maxima["x"] == [10.0, 10.0, 15.0, 10.0, 15.0, 25.0, 15.0]
    assert points["x"] == [want["components"].get(k) for k in (
        "jatidiri", "kemandirian_pertumbuhan", "likuiditas", "efisiensi", "manajemen", "kualitas_aktiva_produktif",
        "permodalan")]
    assert len(find(page, "profile-rat").children[1].children) == want["rat"]
    grid = find(page, "profile-reports-grid")
    assert len(grid.rowData) == want["reports"]
    assert want["target"] in {r["run_target"] for r in grid.rowData}
    assert fmt_int(want["reports"], "id") in text_of(find(page, "profile-reports-count"))
    assert want["target"] in text_of(find(page, "profile-score-source"))


def test_unknown_and_invalid_nik_show_a_not_found_page(page_app):
    unknown = render(page_app, "profile", "/koperasi/999", nik="9999999999999")
    invalid = render(page_app, "profile", "/koperasi/999", nik="53' OR 1=1 --")
    assert "9999999999999" in text_of(find(unknown, "profile-not-found"))
    assert find(unknown, "profile-back").href.endswith("/peringkat?tampilan=koperasi")
    assert "hanya terdiri dari angka" in text_of(find(invalid, "profile-not-found"))


def test_a_general_cooperative_is_scored_with_the_finance_aspects(page_app, province_url):
    want = profile_facts(province_url, "finance")
    page = render(page_app, "profile", "/", nik=want["nik"])
    assert text_of(find(page, "profile-score")) == fmt_number(want["total"], 1, "id")
    assert "Kesehatan keuangan umum" in text_of(find(page, "profile-health"))
    bars = find(page, "profile-aspects").figure["data"]
    assert bars[0]["x"] == [20.0, 30.0, 25.0, 25.0]  # growth, profitability, solvency, liquidity maxima
    assert find(page, "profile-pearls") is None


def test_peer_ratios_are_the_snapshots_stored_figures_with_their_registry_definitions(page_app, province_url):
    """Each key ratio and its percentile is a figure of the snapshot (scope snapshots|<nik>|YYYY-MM, data-value =
    the stored column), labelled with the registry label; the footnote links every one to the Metodologi page and
    the note names the report the figures come from (latest report in 12 months, as on the Rankings)."""
    want = profile_facts(province_url)
    snap, reg = want["snapshot"], registry.load()
    page = render(page_app, "profile", "/", nik=want["nik"])
    card = find(page, "profile-peers")
    scope = f"snapshots|{want['nik']}|{want['period']}"
    for name, _higher in PEER_INDICATORS:
        value = find(card, f"profile-value-{name}").children.to_plotly_json()["props"]
        assert (value["data-indicator"], value["data-scope"]) == (name, scope)
        assert value["data-value"] == raw(getattr(snap, name))
        pct = find(card, f"profile-pct-{name}").children.to_plotly_json()["props"]
        assert (pct["data-indicator"], pct["data-value"]) == (f"pct_{name}", raw(getattr(snap, f"pct_{name}")))
        assert reg.get(name).label("id") in text_of(find(card, "profile-peer-table"))
    links = {c.href for c in walk(find(card, "profile-peers-definitions")) if getattr(c, "href", None)}
    assert {f"/metodologi#ind-{n}" for n, _ in PEER_INDICATORS} <= links
    assert {f"/metodologi#ind-pct_{n}" for n, _ in PEER_INDICATORS} <= links
    basis = text_of(find(card, "profile-peers-basis"))
    assert "laporan terakhir dalam 12 bulan" in basis and "Peringkat" in basis
    assert "melapor untuk" in basis  # this cooperative reported for the snapshot period itself


def test_snapshot_statement_follows_the_monitored_and_reported_flags():
    """Not monitored: not scored, not compared; monitored without a report for the period: an earlier report."""
    from layouts.pages import profile

    period = pd.Timestamp("2026-10-31")
    gone = " ".join(profile._snapshot_basis({"period_end": period, "monitored": False, "reported": False}, "id"))
    late = " ".join(profile._snapshot_basis({"period_end": period, "monitored": True, "reported": False}, "en"))
    assert "Tidak dalam pemantauan pada potret Oktober 2026" in gone and "tidak dinilai" in gone
    assert "latest report in the 12 months up to October 2026" in late
    assert "No report for October 2026 yet" in late


def test_health_bands_come_from_the_norm_file(page_app, province_url, monkeypatch):
    """The history chart draws the cut-offs of the norm file: moving "sehat" to 85 moves the line and its label."""
    from layouts.pages import profile

    real = norm_files.load_norms

    def stricter(method):
        norms = real(method)
        for cat in norms.get("categories", []):
            if cat["key"] == "sehat":
                cat["min"] = 85.0
        return norms

    want = profile_facts(province_url)
    monkeypatch.setattr(norm_files, "load_norms", stricter)
    profile.category_bands.cache_clear()
    try:
        page = render(page_app, "profile", "/", nik=want["nik"])
        layout = find(page, "profile-history-chart").figure["layout"]
    finally:
        profile.category_bands.cache_clear()
    lines = sorted(s["y0"] for s in layout["shapes"] if s["type"] == "line")
    assert lines == [51.0, 66.0, 85.0]
    assert "Sehat ≥ 85" in {a["text"] for a in layout["annotations"]}
