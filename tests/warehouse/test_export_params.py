"""One filter grammar: `kab`, `jenis` and `periode` (and the export-only parameters) are read by one parameter model,
which the API answers with (400 naming the parameter, the value and the rule) and the pages read leniently (the
value is ignored, the default applies and the reader is told)."""
from __future__ import annotations

from datetime import date

import pytest

from layouts import filters
from tests.support.components import find
from warehouse.export import params

LATEST = date(2026, 9, 30)  # the small province's newest roll-up month


# ---------------------------------------------------------------------------------------------------- the model
def test_the_first_broken_rule_in_the_models_order_is_the_one_reported():
    with pytest.raises(params.ExportError) as caught:
        params.read({"offset": "-1", "periode": "September", "kab": "9999"})
    assert (caught.value.parameter, caught.value.value, caught.value.status) == ("kab", "9999", 400)
    assert caught.value.rule == "must be one of the 22 NTT Kemendagri codes 5301–5321, 5371"
    assert caught.value.pesan == ("parameter 'kab' = '9999': harus salah satu dari 22 kode Kemendagri NTT "
                                  "5301–5321, 5371")
    # a range given with `periode` is refused on the range, before `periode` itself is read
    with pytest.raises(params.ExportError) as caught:
        params.read({"periode": "2026-13", "periode_dari": "2026-01"})
    assert (caught.value.parameter, caught.value.value) == ("periode_dari", "2026-01")
    assert caught.value.rule == "cannot be combined with periode (one month or a range)"
    with pytest.raises(params.ExportError) as caught:
        params.read({"periode_dari": "2026-09", "periode_sampai": "2026-01"})
    assert caught.value.message == "parameter 'periode_sampai' = '2026-01': must not be before periode_dari (2026-09)"


def test_values_are_trimmed_blank_ones_count_as_not_given_and_months_become_month_ends():
    read = params.read({"kab": " 5371 ", "jenis": "", "periode": "2026-02", "tahun": "2024", "limit": "10",
                        "kerangka": "   "})
    assert (read.regency, read.type, read.framework, read.year, read.limit, read.offset) == (
        "5371", None, None, 2024, 10, 0)
    assert read.single_period and read.period == date(2026, 2, 28)
    ranged = params.read({"periode_dari": "2024-02", "periode_sampai": "2024-02"})
    assert not ranged.single_period and (ranged.period_from, ranged.period_to) == (date(2024, 2, 29),) * 2


def test_kab_53_is_the_province_only_where_the_dataset_has_a_province_row():
    with pytest.raises(params.ExportError) as caught:
        params.read({"kab": "53"})
    assert caught.value.parameter == "kab"
    assert params.read({"kab": "53"}, allow_province=True).regency == "53"


def test_the_lenient_reading_drops_each_bad_value_with_the_same_rule_and_keeps_the_good_ones():
    read, refused = params.read_lenient({"kab": "9999", "jenis": "jasa", "periode": "2026-13"})
    assert (read.regency, read.type, read.period) == (None, "jasa", None)
    assert [(p.parameter, p.value) for p in refused] == [("kab", "9999"), ("periode", "2026-13")]
    for problem in refused:
        with pytest.raises(params.ExportError) as strict:
            params.read({problem.parameter: problem.value})
        assert (strict.value.rule, strict.value.aturan) == (problem.rule, problem.aturan)


# ------------------------------------------------------------------------------------------ the API and a page
@pytest.fixture
def app(province_url, settings_for):
    from app import create_app

    return create_app(settings_for(province_url))


def overview(app, query: dict):
    from layouts.pages import overview as page

    with app.server.test_request_context("/"):
        return page.layout(**query)


BAD = [("kab", "9999"), ("kab", "53"), ("kab", "53710"), ("jenis", "ksp"), ("periode", "2026-13"),
       ("periode", "September")]


@pytest.mark.parametrize("name,value", BAD)
def test_a_bad_filter_value_is_refused_by_the_api_with_the_models_rule_and_ignored_with_a_notice_by_a_page(
        app, province_url, name, value):
    from warehouse.db import engine_for

    with pytest.raises(params.ExportError) as rule:
        params.read({name: value})
    answer = app.server.test_client().get(f"/api/v1/reports.json?{name}={value}")
    assert answer.status_code == 400
    assert answer.get_json() == rule.value.as_dict()
    assert answer.get_json()["rule"] == rule.value.rule and answer.get_json()["parameter"] == name
    read = filters.parse({name: value}, engine_for(province_url))
    assert read.ignored == (name,)
    assert (read.period, read.regency, read.type) == (LATEST, None, None)  # the defaults
    notice = find(overview(app, {name: value}), "filter-ignored")
    assert notice.children == f"Parameter tautan tidak dikenal diabaikan: {name}"


def test_valid_filter_values_read_the_same_by_the_api_and_a_page(app, province_url):
    from warehouse.db import engine_for

    query = {"periode": "2026-08", "kab": "5310", "jenis": "simpan_pinjam"}
    read = filters.parse(query, engine_for(province_url))
    assert (read.period, read.regency, read.type, read.ignored) == (date(2026, 8, 31), "5310", "simpan_pinjam", ())
    assert read.query() == "?periode=2026-08&kab=5310&jenis=simpan_pinjam"
    page = app.server.test_client().get(
        "/api/v1/regency_indicators.json?periode=2026-08&kab=5310&jenis=simpan_pinjam").get_json()
    assert page["filters"] == {"kab": "5310", "jenis": "simpan_pinjam", "periode": "2026-08"}
    assert [(r["period_end"], r["regency_code"], r["type"]) for r in page["rows"]] == [
        ("2026-08-31", "5310", "simpan_pinjam")]
    assert find(overview(app, query), "filter-ignored") is None


def test_a_well_formed_month_without_roll_ups_is_an_empty_api_answer_but_falls_back_on_a_page(app, province_url):
    from warehouse.db import engine_for

    page = app.server.test_client().get("/api/v1/regency_indicators.json?periode=1999-01").get_json()
    assert page["total"] == 0 and page["filters"] == {"periode": "1999-01"}
    read = filters.parse({"periode": "1999-01", "kab": "5371"}, engine_for(province_url))
    assert (read.period, read.regency, read.ignored) == (LATEST, "5371", ("periode",))
