"""Organizations: regions, housing providers, sites, bodies, member registers, staff scopes."""
