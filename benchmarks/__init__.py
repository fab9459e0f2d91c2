"""`make bench`: every benchmark of tillbench, each against a baseline measured in the same run.

Not part of the installed package and imported by no product module: benchmarks import
the product, never the other way round. Run them with ``python -m benchmarks`` from the
checkout (``--help`` lists the options).
"""
