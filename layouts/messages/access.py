"""Catalogue part: what a page says instead of a cooperative list the reader may not see (layouts/scope.py)."""

MESSAGES = {
    "access.coops_login": (
        "Masuk untuk melihat koperasi; angka per kabupaten/kota di halaman ini terbuka untuk umum.",
        "Log in to see cooperatives; the kabupaten/kota figures on this page are public.",
    ),
    "access.coops_outside": (
        "Daftar koperasi hanya tersedia untuk kabupaten/kota Anda ({regency}); angka per kabupaten/kota tetap "
        "terlihat.",
        "Cooperative lists are available for your kabupaten/kota ({regency}) only; the kabupaten/kota figures stay "
        "visible.",
    ),
    "access.list_scoped": (
        "Daftar ini hanya memuat koperasi kabupaten/kota Anda ({regency}).",
        "This list holds only the cooperatives of your kabupaten/kota ({regency}).",
    ),
    "access.profile_outside": (
        "Koperasi ini berada di luar kabupaten/kota Anda ({regency}).",
        "This cooperative is outside your kabupaten/kota ({regency}).",
    ),
    "access.rejections_scoped": (
        "Hanya baris yang ditolak dari koperasi terdaftar di kabupaten/kota Anda ({regency}).",
        "Only rejected rows of registered cooperatives of your kabupaten/kota ({regency}).",
    ),
    "access.export_scoped": (
        "Data per koperasi terbatas pada kabupaten/kota Anda ({regency}).",
        "Cooperative data is limited to your kabupaten/kota ({regency}).",
    ),
}
