"""The stakeholder network: the graph, its filters, measures, profiles and positions."""
