"""After the workshop: exports and the report."""
