"""Column orders and Indonesian spellings the simulator writes, taken from the data contract (ingest/contract.py)."""
from __future__ import annotations

from ingest.contract import DATASETS, DIGITAL, KOPERASI, RAT, REGISTRY_EXPORT

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
# The Indonesian spelling each enumerated value is written with there.
VALUE_ALIASES = {
    "status": {"active": "aktif", "inactive": "tidak_aktif", "dissolved": "bubar"},
    "period_type": {"month": "bulanan", "quarter": "triwulan", "year": "tahunan"},
    "stage": {"identified": "teridentifikasi", "migrating": "migrasi", "live": "aktif", "transacting": "bertransaksi"},
}

LABEL = "DATA SIMULASI"
