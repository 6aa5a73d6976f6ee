"""The methodology built from the norm files."""

from indicators import ksp2016, methodology


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
