"""Modal screens: help, pickers (profile, fault), the message composer, the lookup."""
