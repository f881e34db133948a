"""The app's widgets; each owns its look in ``DEFAULT_CSS``, the app owns the layout."""
