"""Benchmarks of the app and the command line: ``python -m benchmarks [PART ...] [--quick]``.

Parts: ``throughput`` (pipeline words per second against plain spaCy), ``page`` (the bundled article
ready in Chromium, a correction shown), ``long-article`` (50,000 words: time to a usable page, server
memory) and ``archive`` (1,000 articles through the command line: time, memory as the count grows).
``benchmarks/README.md`` has the results and how to reproduce them. ``quotes_benchmark`` (with
``quotes_scoring`` and ``quotes_variants``) scores quote finding and speakers; it is not one of
these parts: ``python -m benchmarks.quotes_benchmark``.
"""
