"""People's accounts: sign-up by invitation, login sessions, password resets, second factor."""
