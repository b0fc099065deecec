"""Content files: the dataset, graph files, exercises and programmes."""
