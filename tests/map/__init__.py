"""The map: render and export."""
