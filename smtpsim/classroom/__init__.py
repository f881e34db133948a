"""``smtpsim classroom``: the app in every student's browser, served from the teacher's machine.

Built on textual-serve's app process handling (one app process per browser tab,
its terminal drawn by xterm.js in the page); this package adds what a classroom
needs around it: a join code, a capacity, a page that loads nothing from the
internet, a status line for the teacher, and the exam results collected in one
folder.  It is a server, not a user interface: it starts each student's app as
``python -m smtpsim ...`` and never imports :mod:`smtpsim.ui`.
"""
