"""Models of the opinions app."""
