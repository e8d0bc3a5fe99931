"""clean package."""
