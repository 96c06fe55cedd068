"""Home pages per role, the language switch, privacy and help pages, the main menu."""
