"""What a facilitator takes home after a workshop: exports, the report, and a demo session."""
