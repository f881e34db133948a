"""Fixtures of the app's tests."""

import pytest

from smtpsim import i18n, settings


@pytest.fixture
def italian(monkeypatch, tmp_path):
    """The app in Italian, with its own settings folder (returned: lessons keep their
    progress there); English again afterwards."""
    monkeypatch.setenv(settings.ENV_VAR, str(tmp_path))
    i18n.set_language("it")
    yield tmp_path
    i18n.set_language("en")
