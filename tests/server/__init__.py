"""Server processes: logs, workers, deployment."""
