"""Platform administration: regions, providers, sites, bodies, staff."""
