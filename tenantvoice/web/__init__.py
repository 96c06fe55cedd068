"""Cross-cutting HTTP glue (htmx, errors, headers, languages, PWA). Imports no domain package."""
