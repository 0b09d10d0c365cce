"""Benchmarks of acupoints: ``make bench`` or ``python -m benchmarks`` (see README.md).

Not part of the installed package. Workload 1 needs the ``bench`` extra
(``pip install -e '.[dev,bench]'``); an engine that is missing is skipped with a message.
"""
