"""Column orders and Indonesian spellings the simulator writes, taken from the data contract (warehouse/contract.py)."""
from __future__ import annotations

from indicators import vocabulary
from warehouse.contract import DATASETS, DIGITAL, KOPERASI, RAT, REGISTRY_EXPORT

from .finance import REPORT_COLUMNS

KOPERASI_COLUMNS = KOPERASI.names
RAT_COLUMNS = RAT.names
DIGITAL_COLUMNS = DIGITAL.names
REGISTRY_EXPORT_COLUMNS = REGISTRY_EXPORT.names
LAPORAN_COLUMNS = REPORT_COLUMNS  # canonical columns, with the `submitted_on` extension written last

# The Indonesian header each column gets in the kabupaten that write Indonesian names: the contract's first alias.
ALIASES = {
    name: {c.name: c.aliases[0] for c in DATASETS[name].columns if c.aliases and c.aliases[0] != c.name}
    for name in ("koperasi", "laporan_keuangan", "rat", "digital")
}
# The Indonesian spelling each enumerated value is written with there: the vocabulary's first alias of each value.
VALUE_ALIASES = {
    field: {canonical: alias for alias, canonical in reversed(list(spellings.items()))}
    for field, spellings in vocabulary.VALUE_ALIASES.items() if field != "certificate_status"
}

LABEL = "DATA SIMULASI"
