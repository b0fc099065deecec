"""Every string, Dutch and English."""
