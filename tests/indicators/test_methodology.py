"""The methodology built from the norm files."""

from indicators import ksp2016, methodology, wording


def test_sections_carry_formula_bands_weight_source_confidence():
    """Cash ratio (2016): weight 10, bands ≤10 → 25, (10,15] → 100, (15,20] → 50, >20 → 25, confirmed; loans/funds received is uncertain (one source, conflicting recollection)."""
    rows = methodology.sections(["ksp2016"])
    cash = next(r for r in rows if r["component"] == "cash_ratio")
    assert cash["weight"] == 10 and cash["aspect"] == "likuiditas"
    assert [b["range_text"] for b in cash["bands"]] == ["x ≤ 10", "10 < x ≤ 15", "15 < x ≤ 20", "20 < x"]
    assert [b["value"] for b in cash["bands"]] == [25, 100, 50, 25]
    assert cash["confidence"] == "confirmed" and "7q0xn4m3q" in cash["source"]
    funds = next(r for r in rows if r["component"] == "loans_to_funds_received")
    assert funds["confidence"] == "uncertain"


def test_markdown_marks_uncertain_rows_in_both_languages():
    """Uncertain rows carry 'belum terkonfirmasi' (id) / 'not yet confirmed' (en); every method appears."""
    md_id = methodology.render_markdown("id")
    md_en = methodology.render_markdown("en")
    assert "belum terkonfirmasi" in md_id and "not yet confirmed" in md_en
    assert "Pinjaman diberikan terhadap dana yang diterima" in md_id
    assert "Loans outstanding to funds received" in md_en
    line = next(l for l in md_en.splitlines() if "(`loans_to_funds_received`)" in l)
    assert "not yet confirmed" in line
    for method in ("PEARLS", "Go Digital", "RAT"):
        assert method in md_en


def test_methodology_follows_a_norm_override():
    """Marking one cash-ratio band uncertain in an override makes the component uncertain in the methodology."""
    norms = ksp2016.load_norms()
    norms["components"]["cash_ratio"]["bands"][1]["confidence"] = "uncertain"
    rows = methodology.sections(["ksp2016"], norms={"ksp2016": norms})
    cash = next(r for r in rows if r["component"] == "cash_ratio")
    assert cash["confidence"] == "uncertain"


def test_registry_groups_hold_every_indicator_once_area_first_by_population():
    """indicator_groups: area figures first, then cooperative figures; inside a level one subgroup per population
    in the order the registry first names it; every registry indicator exactly once, in file order."""
    from indicators import registry

    reg = registry.load()
    groups = wording.indicator_groups("id")
    assert [g["level"] for g in groups] == ["area", "cooperative", "kdmp_area", "village"]
    listed = [r["id"] for g in groups for p in g["populations"] for r in p["indicators"]]
    assert sorted(listed) == sorted(reg.indicators) and len(listed) == len(set(listed))
    area = groups[0]["populations"]
    assert [p["key"] for p in area][:3] == ["registry", "monitored", "scored"]
    monitored = next(p for p in area if p["key"] == "monitored")
    first = [r["id"] for r in monitored["indicators"]][:3]
    assert first == ["monitored_cooperatives", "reporting_cooperatives", "members"]
    assert monitored["description"] == reg.population_description("monitored", "id")
    coop = [p["key"] for p in groups[1]["populations"]]
    assert coop == ["cooperative", "report", "fiscal_year", "peer_group"]


def test_indicator_records_carry_formula_words_and_the_norm_components_using_them():
    """ROA: its formula sentence, 'persen (%)', 'lebih tinggi lebih baik', confirmed, published as snapshots.roa,
    percentile pct_roa, used by the 2021 and finance methods; monitored is uncertain and marked; English words."""
    by_id = {r["id"]: r for r in wording.indicator_records("id")}
    roa = by_id["roa"]
    assert roa["formula"] == wording.formula_text("roa", "id")
    assert (roa["unit_text"], roa["direction_text"]) == ("persen (%)", "lebih tinggi lebih baik")
    assert roa["published"] == ["snapshots.roa"] and roa["percentile"] == "pct_roa"
    assert not roa["uncertain"] and roa["confidence_text"] == "terkonfirmasi"
    assert {u["method"] for u in roa["used_by"]} == {"ksp2021", "finance"}
    assert by_id["monitored"]["uncertain"] and by_id["monitored"]["confidence_text"] == "⚠ belum terkonfirmasi"
    assert by_id["pct_roa"]["percentile_of"] == "roa"
    en = {r["id"]: r for r in wording.indicator_records("en")}
    assert (en["npl_ratio"]["direction_text"], en["npl_ratio"]["unit_text"]) == ("lower is better", "percent (%)")
    assert en["monitored"]["confidence_text"] == "⚠ not yet confirmed"


def test_markdown_for_the_page_links_registry_ids_and_keeps_source_grades_as_text():
    """for_page: no title line, headings one level deeper, '[roa]' after a formula becomes a link to #ind-roa, and
    '[S]' is escaped so the page's renderer draws no empty link; the plain Markdown keeps its form."""
    page = methodology.render_markdown("id", for_page=True)
    plain = methodology.render_markdown("id")
    assert plain.startswith("# Metodologi") and not page.startswith("#")
    assert "\n### Metode 2016" in page and "\n## Metode 2016" in plain
    assert "[`cash_ratio`](#ind-cash_ratio)" in page and "[cash_ratio]" in plain
    assert "\\[S\\]" in page and " [S]" not in page and " [S]" in plain
