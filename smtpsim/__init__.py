"""smtpsim: an interactive, educational SMTP simulator."""

__version__ = "0.1.0"
