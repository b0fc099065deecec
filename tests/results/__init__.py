"""Group results and charts."""
