"""Locust files that stress a POS <-> ERP integration (see ``loadtests/README.md``).

Run by Locust in its own process (``locust -f loadtests/pos_registers.py``, or
``tillbench load``); the modules import each other by bare name, as Locust loads them.
Nothing imports this package: ``tillbench`` only locates its folder
(``importlib.util.find_spec``), because importing Locust patches the process with gevent.
"""

__all__: list[str] = []
