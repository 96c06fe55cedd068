"""The outbox (kit level): what must leave the app (email, web push) is written to the database
in the transaction of the change it announces, then delivered by the worker. Imports no domain."""
