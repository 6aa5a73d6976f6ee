"""The reader's words for values the data holds and several pages show (cooperative types, data sources, roles):
tables of catalogue keys marked with N_ (so `pybabel extract` finds them), and `word()` to show one."""
from __future__ import annotations

from layouts.i18n import N_, Key, t_marked

COOP_TYPES = {
    "simpan_pinjam": N_("type.simpan_pinjam"),
    "konsumen": N_("type.konsumen"),
    "produsen": N_("type.produsen"),
    "pemasaran": N_("type.pemasaran"),
    "jasa": N_("type.jasa"),
}

SOURCES = {
    "inbox": N_("source.inbox"),
    "platform": N_("source.platform"),
    "registry": N_("source.registry"),
    "cli": N_("source.cli"),
}

ROLES = {
    "public": N_("auth.role.public"),
    "official": N_("auth.role.official"),
    "analyst": N_("auth.role.analyst"),
    "admin": N_("auth.role.admin"),
}


def word(table: dict[str, Key], value, lang: str, missing: str = "–") -> str:
    """The reader's word for `value` through `table`: `missing` when there is no value (None, NaN: not a word), the
    value as it is when the table does not know it (the data may hold a word this version has no text for)."""
    if not isinstance(value, str):
        return missing
    key = table.get(value)
    return value if key is None else t_marked(key, lang)
