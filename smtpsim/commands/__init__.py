"""The subcommands, one module per family, each with ``register(subparsers, parser)``.

Only :mod:`smtpsim.cli` (the top floor) imports these modules; they import the layers
below (``course``, ``net``, ``classroom``, and ``ui`` inside the handlers that open
the app), never one another's parsers and never :mod:`smtpsim.cli` back.

* :mod:`.app` - the app's own options (``--listen``, ``--connect`` ...) and ``screenshots``;
* :mod:`.course` and :mod:`.exam` - ``lesson``, ``lessons``, ``exam``;
* :mod:`.net` - ``serve`` and ``send``;
* :mod:`.classroom` - ``classroom`` and ``results``;
* :mod:`.options` - options more than one command takes (``--profile``, ``--fault``).
"""
