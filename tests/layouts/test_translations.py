"""The gettext catalogues of layouts/translations: complete, found by extraction, never built from pieces; and the
numbers, dates and Rupiah Babel writes."""
from __future__ import annotations

import ast
import logging
import string
from datetime import date, datetime, timezone
from pathlib import Path

import flask
import jinja2
import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from indicators import vocabulary
from layouts import i18n, labels
from layouts.i18n import fmt_date, fmt_datetime, fmt_figure, fmt_month_short, fmt_period, fmt_rupiah, t, t_marked
from settings import load_settings
from warehouse import users

PROJECT = Path(__file__).resolve().parents[2]
LAYOUTS = PROJECT / "layouts"
TEMPLATE = LAYOUTS / "translations" / "messages.pot"
LANGS = ("id", "en")
NBSP = "\u00a0"  # Babel keeps a number and its short unit together (id: "12,3 T")


def _catalog(path: Path):
    with open(path, "rb") as source:
        return read_po(source)


def _po(lang: str):
    return _catalog(LAYOUTS / "translations" / lang / "LC_MESSAGES" / "messages.po")


def _ids(catalog) -> list[str]:
    return [m.id for m in catalog if m.id]


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _key_calls():
    """Every call of t() or N_() under layouts/ (Python files): (where, first argument node)."""
    for path in sorted(LAYOUTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in ("t", "N_"):
                    yield f"{path.relative_to(PROJECT)}:{node.lineno}", (node.args[0] if node.args else None)


def _template_calls():
    """Every t() call in the Jinja templates: (where, first argument node)."""
    env = jinja2.Environment()
    for path in sorted((LAYOUTS / "templates").glob("*.html")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for call in tree.find_all(jinja2.nodes.Call):
            if isinstance(call.node, jinja2.nodes.Name) and call.node.name == "t":
                yield f"{path.relative_to(PROJECT)}:{call.lineno}", (call.args[0] if call.args else None)


# ------------------------------------------------------------------------------------------------ catalogues
def test_the_committed_template_holds_exactly_the_keys_a_fresh_extraction_finds(tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT)
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "t", "-k", "N_", "--no-location",
                                "--sort-output", "-o", str(fresh), "layouts"])
    extracted = _ids(_catalog(fresh))
    assert len(extracted) > 500  # every page's texts, not an extraction that silently found nothing
    assert _ids(_catalog(TEMPLATE)) == extracted


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_has_a_text_in_each_language_and_no_other_keys(lang):
    template = _ids(_catalog(TEMPLATE))
    catalog = _po(lang)
    assert sorted(_ids(catalog)) == sorted(template), "run pybabel update (README: where a newcomer adds a text)"
    empty = [m.id for m in catalog if m.id and not (isinstance(m.string, str) and m.string.strip())]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert empty == [] and fuzzy == []


def test_a_message_has_the_same_placeholders_in_both_languages():
    indonesian, english = ({m.id: m.string for m in _po(lang) if m.id} for lang in LANGS)
    differ = {key: (_fields(text), _fields(english[key])) for key, text in indonesian.items()
              if _fields(text) != _fields(english[key])}
    assert differ == {}
    assert _fields(indonesian["ov.card.sehat_detail"]) == {"n", "d"}  # the check reads real placeholders


def test_every_key_in_the_code_is_a_literal_that_extraction_finds():
    """No key is built at run time (no f-string, concatenation or condition as t()'s or N_()'s first argument, in
    the Python code or the templates), and each literal is in the template — a call hidden inside an f-string is
    invisible to pybabel."""
    calls = [*_key_calls(), *_template_calls()]
    assert len(calls) > 500
    built = [where for where, arg in calls
             if not ((isinstance(arg, ast.Constant) or isinstance(arg, jinja2.nodes.Const))
                     and isinstance(arg.value, str))]
    assert built == []
    known = set(_ids(_catalog(TEMPLATE)))
    unknown = [(where, arg.value) for where, arg in calls if arg.value not in known]
    assert unknown == []


def test_the_texts_come_from_the_po_files():
    assert t("ov.card.sehat", "id") == "Koperasi sehat"
    assert t("ov.card.sehat", "en") == "Healthy cooperatives"
    assert t("ov.card.sehat_detail", "id", n=3, d=40) == "3 sehat dari 40 koperasi yang dinilai"
    assert t("ov.card.sehat_detail", "en") == "{n} healthy of {d} cooperatives scored"  # as written without values


def test_an_unknown_key_is_an_error_outside_production():
    with pytest.raises(KeyError, match="ov.no_such_text"):
        t("ov.no_such_text", "en")
    app = flask.Flask(__name__)
    app.config["PANTAU_SETTINGS"] = load_settings()  # ENVIRONMENT=development
    with app.app_context(), pytest.raises(KeyError):
        t("ov.no_such_text", "id")


def test_in_production_an_unknown_key_shows_the_key_and_logs_an_error(caplog):
    app = flask.Flask(__name__)
    app.config["PANTAU_SETTINGS"] = load_settings(ENVIRONMENT="production", SECRET_KEY="s" * 32)
    with app.app_context(), caplog.at_level(logging.ERROR, logger="pantau.i18n"):
        assert t("ov.no_such_text", "id") == "ov.no_such_text"
    assert "ov.no_such_text" in caplog.text


def test_t_marked_takes_only_keys_marked_with_n_():
    assert t_marked(i18n.N_("type.konsumen"), "en") == "Consumer"
    with pytest.raises(TypeError):
        t_marked("type.konsumen", "en")


def test_the_word_tables_cover_the_vocabulary():
    assert set(labels.COOP_TYPES) == set(vocabulary.COOP_TYPES)
    assert set(labels.ROLES) == {"public", *users.ROLES}
    assert labels.word(labels.COOP_TYPES, "simpan_pinjam", "id") == "Simpan pinjam"
    assert labels.word(labels.COOP_TYPES, "koperasi_baru", "id") == "koperasi_baru"  # a word this version lacks
    assert labels.word(labels.COOP_TYPES, None, "id") == "–"


def test_the_jinja_templates_get_the_catalogue_texts():
    page = jinja2.Template('{{ t("auth.login") }} · {{ t("auth.logout.confirm", user="ana") }}')
    assert page.render(t=i18n.template_t("en")) == "Log in · Log out of ana?"


def test_the_simulated_data_words_stay_those_of_the_vocabulary():
    assert i18n.simulated_texts("id") == ("DATA SIMULASI", vocabulary.SIMULATED_NOTE["id"])
    assert i18n.simulated_texts("en")[1] == vocabulary.SIMULATED_NOTE["en"]


# ------------------------------------------------------------------------------------------------ formatting
@pytest.mark.parametrize("value,indonesian,english", [
    (12.3e12, f"Rp12,3{NBSP}T", "Rp12.3T"),
    (5.2e9, f"Rp5,2{NBSP}M", "Rp5.2B"),
    (980e6, f"Rp980{NBSP}jt", "Rp980M"),
    (1.25e6, f"Rp1,3{NBSP}jt", "Rp1.3M"),  # half up, as a reader rounds (Babel alone: 1,2)
    (999.96e9, f"Rp1{NBSP}T", "Rp1T"),  # rounds up into the next unit
    (45_000, "Rp45.000", "Rp45,000"),  # under a million: in full
    (-5.2e9, f"Rp−5,2{NBSP}M", "Rp−5.2B"),
    (None, "–", "–"),
])
def test_rupiah_is_written_in_babels_short_forms(value, indonesian, english):
    assert fmt_figure(value, "rupiah", "id") == indonesian
    assert fmt_figure(value, "rupiah", "en") == english


def test_rupiah_under_a_million_is_written_in_full():
    assert fmt_rupiah(999_999, "id") == "Rp999.999"
    assert fmt_rupiah(1_000_000, "id") == f"Rp1{NBSP}jt"


def test_months_and_dates_are_written_by_babel_in_both_languages():
    assert fmt_period(date(2026, 10, 31), "id") == "Oktober 2026"
    assert fmt_period(date(2026, 10, 31), "en") == "October 2026"
    assert fmt_date(date(2026, 8, 17), "id") == "17 Agustus 2026"
    assert fmt_date(date(2026, 8, 17), "en") == "17 August 2026"
    assert fmt_month_short(date(2026, 12, 31), "id") == "Des 2026"
    assert fmt_month_short(date(2026, 12, 31), "en") == "Dec 2026"
    # a moment is taken in WITA: 20:30 UTC is the next morning in Kupang
    assert fmt_datetime(datetime(2026, 11, 30, 20, 30, tzinfo=timezone.utc), "id") == "1 Desember 2026 04:30 WITA"
    assert i18n.month_names("id")[4] == "Mei"


def test_numbers_keep_rounding_half_up():
    assert fmt_figure(0.25, "percentage_points", "id") == "+0,3 poin"
    assert fmt_figure(2.45, "percent", "en") == "2.5 %"
    assert fmt_figure(-0.04, "percent", "id") == "0,0 %"
