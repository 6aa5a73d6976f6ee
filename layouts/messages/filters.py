"""Catalogue part: the global filters."""

MESSAGES = {
    "filter.period": ("Periode", "Period"),
    "filter.regency": ("Kabupaten/Kota", "Regency/City"),
    "filter.all_regencies": ("Seluruh provinsi", "Whole province"),
    "filter.type": ("Jenis koperasi", "Cooperative type"),
    "filter.all_types": ("Semua jenis", "All types"),
    "filter.ignored": ("Parameter tautan tidak dikenal diabaikan: {names}", "Unknown link parameters ignored: {names}"),
}
