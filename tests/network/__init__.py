"""The stakeholder network: graph, measures, profiles."""
