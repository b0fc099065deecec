"""Question types and answer checks."""
