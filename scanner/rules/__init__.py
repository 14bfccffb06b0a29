"""Detection rules: the data model and the loader of rule files."""
