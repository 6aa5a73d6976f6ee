"""The indicator registry: one definition per figure, every published figure defined, nothing defined twice."""
import copy
import json
import tomllib

import pytest

from indicators import core, norms as norm_files, registry, vocabulary

KEYS = {  # API columns that identify or date a row, not figures
    "snapshots": {"nik", "period_end", "regency_code", "type", "peer_group", "health_framework", "rat_fiscal_year",
                  "source_period",
                  "digital_stage_date", "programme", "data_version"},
    "regency_indicators": {"regency_code", "regency_name", "period_end", "type", "scope"},
    "kdmp_indicators": {"regency_code", "regency_name", "period_end", "reference_date"},
    "scores": {"nik", "period_end", "framework", "unscored", "data_version"},
    "rat": {"nik", "fiscal_year", "held_on", "reported_on", "shu_total", "shu_to_members", "audited",
            "statements_published", "source", "ingest_run_id"},
}


def raw():
    with registry.PATH.open("rb") as fh:
        return tomllib.load(fh)


def test_every_published_column_of_the_figure_datasets_has_one_registry_definition():
    from warehouse.export import DATASETS

    reg = registry.load()
    for dataset, keys in KEYS.items():
        for column in DATASETS[dataset].columns:
            if column in keys:
                continue
            ind = reg.for_column(dataset, column)
            assert ind is not None, f"{dataset}.{column} is published but not defined in the registry"
    # and every registry publication is a real API column
    for published in reg.published():
        dataset, column = published.split(".", 1)
        assert column in DATASETS[dataset].columns, published


def test_the_roll_up_table_has_exactly_the_registry_area_figures_as_columns():
    from warehouse.models import RegencyIndicator

    columns = [c.name for c in RegencyIndicator.__table__.columns]
    assert columns[:5] == ["id", "regency_code", "period_end", "type", "scope"] and columns[-1] == "data_version"
    assert columns[5:-1] == registry.load().area_ids()


def test_the_kdmp_roll_up_table_has_exactly_the_registry_kdmp_area_figures_as_columns():
    from warehouse.models import KdmpIndicator

    columns = [c.name for c in KdmpIndicator.__table__.columns]
    assert columns[:4] == ["id", "regency_code", "period_end", "reference_date"] and columns[-1] == "data_version"
    assert columns[4:-1] == registry.load().kdmp_area_ids()
    assert "kdmp_villages" in columns and "pct_kdmp_land" in columns


def test_the_api_names_stay():
    """The snapshot and roll-up columns analysts' scripts read keep their names; their values follow the registry."""
    reg = registry.load()
    for name in ("roa", "npl_ratio", "equity_ratio", "current_ratio", "asset_growth", "member_growth"):
        assert reg.for_column("snapshots", name).id == name
    for name in ("pct_sehat", "reporting_rate", "on_time_rate", "pct_rat_compliant", "pct_go_digital",
                 "members_per_1000", "avg_health_score", "go_digital", "members", "total_assets"):
        assert reg.for_column("regency_indicators", name).id == name


def _formula_key(spec) -> str:
    return json.dumps({f: spec.get(f) for f in ("kind", "numerator", "denominator", "annualise",
                                                 "denominator_average", "column", "scale", "max")
                       if spec.get(f) not in (None, "ratio")}, sort_keys=True)


def test_no_formula_is_written_twice_across_the_registry_and_the_norm_files():
    """A norm component whose ratio equals a registry indicator's must name it (`indicator = ...`); two norm
    components with the same formula must both name one registry entry."""
    seen: dict[str, str] = {}
    reg = registry.load()
    for ind_id in reg.formula_ids():
        key = _formula_key(reg.get(ind_id).spec)
        assert key not in seen, f"{ind_id} repeats the formula of {seen.get(key)}"
        seen[key] = f"registry.{ind_id}"
    written: dict[str, str] = {}
    for method in ("ksp2016", "ksp2021", "finance", "pearls"):
        with (norm_files.NORMS_DIR / f"{method}.toml").open("rb") as fh:
            data = tomllib.load(fh)
        for section in ("components", "ratios"):
            for key, spec in data.get(section, {}).items():
                if "indicator" in spec:
                    assert not any(f in spec for f in ("numerator", "denominator", "column")), f"{method}.{key}"
                    continue
                fkey = _formula_key(spec)
                assert fkey not in seen, f"{method}.{key} repeats registry formula {seen.get(fkey)}; name it"
                assert fkey not in written, f"{method}.{key} repeats {written.get(fkey)}; define it in the registry"
                written[fkey] = f"{method}.{key}"


def test_norm_components_that_name_an_indicator_compute_its_formula():
    roa = norm_files.load_norms("ksp2021")["components"]["roa"]
    assert roa["indicator"] == "roa"
    assert (roa["numerator"], roa["denominator"], roa["annualise"]) == ("shu_after_tax", "total_assets", "numerator")
    assert norm_files.load_norms("pearls")["ratios"]["A1"]["numerator"] == registry.formula("npl_ratio")["numerator"]


def test_a_component_naming_an_indicator_and_writing_another_formula_is_refused():
    data = copy.deepcopy(norm_files.load_norms("finance"))
    data["components"]["roa"]["numerator"] = "shu_before_tax"
    with pytest.raises(ValueError, match="define the formula once"):
        norm_files.resolve_formulas(data, "finance")


def test_every_indicator_has_a_formula_sentence_in_both_languages_and_serialises():
    records = registry.as_records()
    assert len(records) == len(registry.load().indicators)
    for record in records:
        assert record["formula_id"].strip() and record["formula_en"].strip(), record["id"]
        assert record["population_id"].strip() and record["population_en"].strip(), record["id"]
    json.dumps(records)
    roa = next(r for r in records if r["id"] == "roa")
    assert roa["formula_id"] == "SHU setelah pajak disetahunkan (× 12 / bulan ke-) / total aset × 100"
    assert roa["formula_en"] == "SHU after tax annualised (× 12 / month number) / total assets × 100"
    assert roa["percentile"] == "pct_roa"
    npl = next(r for r in records if r["id"] == "npl_ratio")
    assert npl["formula_id"] == "(kurang lancar + diragukan + macet) / pinjaman diberikan × 100"


@pytest.mark.parametrize("change, message", [
    (("pct_sehat", "numerator", "not_a_figure"), "must be an area figure defined above it"),
    (("sehat", "of", "no_such_flag"), "must be one of"),
    (("roa", "numerator", "profit"), "is not a report column"),
    (("members", "over", "nobody"), "must be one of"),
    (("roa_pooled", "indicator", "members"), "must name a cooperative ratio"),
    (("pct_sehat", "unit", "furlongs"), "must be one of"),
])
def test_a_broken_registry_entry_is_refused_naming_the_field(change, message):
    data = raw()
    key, field, value = change
    data["indicators"][key][field] = value
    with pytest.raises(registry.RegistryError, match=message):
        registry.build(data)


def test_a_column_published_twice_is_refused():
    data = raw()
    data["indicators"]["roe"]["published"] = ["snapshots.roa"]
    with pytest.raises(registry.RegistryError, match="published by both"):
        registry.build(data)


def test_one_vocabulary_for_yes_and_no():
    """"t" is tidak (no) wherever a cell is read: in the ingest validation and in the indicators alike."""
    import pandas as pd

    from ingest.validate import parse_bools

    words = pd.Series(["ya", "Y", "t", "T", "tidak", "true", "1", "salah", "maybe"])
    assert parse_bools(words).tolist() == core.to_bool(words).tolist()
    assert core.to_bool(words).tolist()[:5] == [True, True, False, False, False]
    assert vocabulary.yes_no(" T ") is False and vocabulary.yes_no("maybe") is None


def test_health_categories_of_the_norms_are_the_vocabulary_s():
    for method in ("ksp2016", "finance"):
        keys = [c["key"] for c in norm_files.load_norms(method)["categories"]]
        assert keys == list(vocabulary.HEALTH_CATEGORIES)
