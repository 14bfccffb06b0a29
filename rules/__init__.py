"""The shipped rule files; installed as the package ``scanner.shipped_rules`` (see pyproject.toml)."""
