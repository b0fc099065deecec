"""Threat-oriented suites: doors, bounds, malformed and hostile input, privacy."""
