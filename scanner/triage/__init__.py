"""Triage: findings someone already reviewed are hidden from reports, alerts and verdicts.

Between detection and the actions: a baseline (the findings of an earlier scan, by
fingerprint, path and member) and an allowlist (reviewed entries with a reason and an
expiry) each say which findings to suppress; ``Suppressor`` applies both and counts.
"""
