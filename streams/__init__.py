"""The Faust wiring: app, topics, tables and agents around monitor's pipeline (see monitor/pipeline.py).

Flow: `articles` --score (stage 1, embedding off the event loop)--> `stance-monitor-scored` keyed by actor
--detect (stage 2, state in the `actor-state` table)--> `alerts` and `alert-updates`; rejects -> `articles-dlq`.
"""
