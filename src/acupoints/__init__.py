"""acupoints."""
