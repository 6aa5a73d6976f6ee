"""Text in the reader's language: the gettext catalogues of layouts/translations (`t`), and numbers, dates and
Rupiah written the Indonesian (or English) way by Babel.

A message is a catalogue key such as "ov.card.sehat": the key is the msgid, and the Indonesian and English texts
are the msgstr of layouts/translations/{id,en}/LC_MESSAGES/messages.po (README: where a newcomer adds a text).
Every key is written as a literal in the code, so `pybabel extract` finds them all:
- `t("ov.card.sehat", lang, n=3)` where the text is wanted;
- `N_("type.konsumen")` in a table of keys chosen at run time (a cooperative type, a tab), translated later with
  `t_marked(TYPE_LABELS[v], lang)`. `t_marked` takes only what `N_` made, so no key is ever built from pieces.
"""
from __future__ import annotations

import functools
import io
import logging
import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from gettext import NullTranslations
from pathlib import Path

import flask
import pandas as pd
from babel.dates import format_date, get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal
from babel.support import Translations

from indicators import vocabulary

LANGUAGES = ("id", "en")
WITA = vocabulary.WITA
LANG_COOKIE = "pantau_lang"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"

log = logging.getLogger("pantau.i18n")


# ------------------------------------------------------------------------------------------------ messages
class Key(str):
    """A catalogue key marked with `N_` (its text is the key itself): the one kind of key `t_marked` accepts."""

    __slots__ = ()


def N_(key: str) -> Key:
    """Mark a literal catalogue key for `pybabel extract` without translating it yet (its text stays the key)."""
    return Key(key)


def t(key: str, lang: str = "id", **values) -> str:
    """The text of the literal catalogue key `key` in `lang`, its {placeholders} filled from `values` (str.format;
    without values the text is returned as written, braces included)."""
    return _text(key, lang, values)


def t_marked(key: Key, lang: str = "id", **values) -> str:
    """The text of a key marked with `N_` (a table entry chosen at run time), as `t` gives it."""
    if not isinstance(key, Key):
        raise TypeError(f"t_marked takes a key marked with N_(), not {key!r}: write the key as a literal")
    return _text(key, lang, values)


def template_t(lang: str):
    """The `t` of the Jinja templates of layouts/templates (their keys are literals too: tests/layouts/test_translations.py
    reads the templates)."""
    return lambda key, **values: _text(key, lang, values)


def simulated_texts(lang: str) -> tuple[str, str]:
    """The DATA SIMULASI badge and its sentence. They are data words of indicators/vocabulary.py, not catalogue
    messages: the API's CSV starts with the very same bytes."""
    return vocabulary.SIMULATED_BADGE, vocabulary.SIMULATED_NOTE["en" if lang == "en" else "id"]


def _text(key: str, lang: str, values: dict) -> str:
    text = _catalogue("en" if lang == "en" else "id").gettext(key)
    return text.format(**values) if values else text


class _MissingMessage(NullTranslations):
    """Behind each catalogue: a key it has no text for. Outside production that is an error at once (KeyError), so
    a test or a developer meets it; in production the page still renders, showing the key, and the error is logged."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def gettext(self, message: str) -> str:
        if not _in_production():
            raise KeyError(f"message {message!r} has no {self.lang} text in {TRANSLATIONS_DIR}")
        log.error("message %r has no %s text in %s", message, self.lang, TRANSLATIONS_DIR)
        return message


def _in_production() -> bool:
    # ENVIRONMENT of the running app's settings; outside an app (command line, unit tests) the strict default holds.
    if not flask.has_app_context():
        return False
    settings = flask.current_app.config.get("PANTAU_SETTINGS")
    return getattr(settings, "ENVIRONMENT", None) == "production"


@functools.cache
def _catalogue(lang: str) -> Translations:
    """The .po file of `lang`, compiled in memory once per process (no .mo file is kept in the repository)."""
    with open(TRANSLATIONS_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # leaves out fuzzy and empty entries: those count as missing
    compiled.seek(0)
    translations = Translations(compiled, domain=DOMAIN)
    translations.add_fallback(_MissingMessage(lang))
    return translations


# ------------------------------------------------------------------------------------------------ numbers
def _locale(lang: str) -> str:
    return "en_US" if lang == "en" else "id_ID"


def missing(value) -> bool:
    """No value: None, NaN, pandas' NA or NaT (what every formatter here writes as '–')."""
    return (value is None or value is pd.NA or value is pd.NaT
            or (isinstance(value, float) and math.isnan(value)))


def fmt_int(value, lang: str = "id") -> str:
    """1.234.567 (id) / 1,234,567 (en); '–' for missing."""
    if missing(value):
        return "–"
    whole = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_decimal(whole, format="#,##0", locale=_locale(lang))


def fmt_number(value, digits: int = 1, lang: str = "id") -> str:
    """1.234,5 (id) / 1,234.5 (en), rounded half up as a reader rounds (0,25 → 0,3; Babel alone rounds half to
    even); '–' for missing."""
    if missing(value):
        return "–"
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format_decimal(exact, format="#,##0." + "0" * digits, locale=_locale(lang))


def fmt_pct(value, digits: int = 1, lang: str = "id") -> str:
    """A share 0–1 as a percentage: 0.456 → 45,6 %."""
    if missing(value):
        return "–"
    return fmt_number(value * 100, digits, lang) + " %"


def fmt_rupiah(value, lang: str = "id") -> str:
    """Rupiah: in full under a million (Rp45.000), else in Babel's short form with one decimal at most — Rp12,3 T,
    Rp5,2 M, Rp980 jt (triliun, miliar, juta) / Rp12.3T, Rp5.2B, Rp980M — rounded half up; '–' for missing."""
    if missing(value):
        return "–"
    amount = Decimal(str(value))
    if abs(amount) < 1_000_000:
        return "Rp" + fmt_int(value, lang)
    # Round half up at the short form's unit first (Babel alone rounds half to even: 1,25 jt would be 1,2 jt), so
    # Babel only writes the number; 999,96 M rounds to 1.000 M, which Babel then writes as 1 T.
    unit = Decimal(10) ** min(12, amount.copy_abs().adjusted() // 3 * 3)
    rounded = (amount / unit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) * unit
    return "Rp" + format_compact_decimal(rounded, format_type="short", locale=_locale(lang), fraction_digits=1)


# ------------------------------------------------------------------------------------------------ dates
to_wita = vocabulary.to_wita


def month_names(lang: str) -> list[str]:
    """The twelve month names, January first: Januari … Desember / January … December."""
    names = get_month_names("wide", locale=_locale(lang))
    return [names[m] for m in range(1, 13)]


def fmt_date(value: date | datetime | None, lang: str = "id") -> str:
    """23 November 2026 (both languages write day month year here); a moment is taken in WITA."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = to_wita(value)
    return format_date(value, "d MMMM y", locale=_locale(lang))


def fmt_datetime(value: datetime | None, lang: str = "id") -> str:
    """23 November 2026 14:05 WITA."""
    if value is None:
        return "–"
    local = to_wita(value)
    return f"{fmt_date(local, lang)} {local:%H:%M} WITA"


def fmt_period(value: date | None, lang: str = "id") -> str:
    """A monthly period: Oktober 2026 / October 2026."""
    if value is None:
        return "–"
    return format_date(value, "MMMM y", locale=_locale(lang))


def fmt_month_short(value: date, lang: str = "id") -> str:
    """A monthly period in short: Agu 2026 / Aug 2026 (chart axes)."""
    return format_date(value, "MMM y", locale=_locale(lang))


# ------------------------------------------------------------------------------------------------ figures
def fmt_figure(value, unit: str, lang: str = "id", digits: int | None = None) -> str:
    """A figure written the one way its registry unit says: percent 45,6 %, percentage points +1,2 poin, count
    1.234, Rupiah Rp12,3 T, points 73,9, per 1.000 12,7, per month 2,5, date Oktober 2026, flag ya/tidak; a
    negative number with a true minus (−2,1 %), and a value that rounds to zero as 0 (never −0,0). '–' when
    missing."""
    if missing(value):
        return "–"
    if unit == "date":
        return fmt_period(value, lang)
    if unit == "flag":
        return t("fig.yes", lang) if value else t("fig.no", lang)
    if unit == "code":
        return str(value)
    places = 0 if unit in ("count", "days") else (1 if digits is None else digits)
    if round(abs(float(value)), places) == 0:
        value = 0.0
    if unit == "percentage_points":
        sign = "+" if value > 0 else ("−" if value < 0 else "")
        return sign + fmt_number(abs(value), places, lang) + " " + t("fig.points", lang)
    if unit in ("count", "days"):
        text = fmt_int(value, lang)
    elif unit == "rupiah":
        text = fmt_rupiah(value, lang)
    elif unit == "percent":
        text = fmt_number(value, places, lang) + " %"
    else:
        text = fmt_number(value, places, lang)
    return text.replace("-", "−", 1) if text.startswith(("-", "Rp-")) else text
