"""The scheduler daemon (``akhbar schedule``): not built yet — see the scheduling issue.

Until then run ``akhbar crawl`` from cron (README, "Running from cron").
"""
