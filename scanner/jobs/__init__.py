"""Distributed audits: ``audit enqueue`` walks and publishes jobs to a broker, daemons with
``[[serve.audit]]`` take them through a consumer group and publish the records, ``audit
collect`` gathers one report. See ``docs/ARCHITECTURE.md``."""
