"""The terminal app: the only part of smtpsim that imports Textual.

Nothing is imported here on purpose: the command line (:mod:`smtpsim.commands.app`)
imports ``smtpsim.ui`` modules only inside the handlers that open the app, and
``smtpsim run`` must not pay for Textual.  The app is built by
:func:`smtpsim.ui.app.make_app`.
"""
