"""The Sophia AI CrossGuard policy pack: rules by family, listed in `registry`."""
