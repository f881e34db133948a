"""The terminal app: the only part of smtpsim that imports Textual.

Nothing is imported here on purpose: ``smtpsim.ui.cli`` is loaded every time the
command line is built, and ``smtpsim run`` must not pay for Textual.  The app is
built by :func:`smtpsim.ui.app.make_app`.
"""
