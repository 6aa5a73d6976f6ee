"""Parts of the one message catalogue, one module per area of the dashboard (each a MESSAGES dict of
key: (Bahasa Indonesia, English)); `layouts.i18n` merges them into its MESSAGES and refuses a key defined twice."""
