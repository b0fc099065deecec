"""Charts: SVG and tables, escaped."""
