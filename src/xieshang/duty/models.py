"""Models of the duty app."""
