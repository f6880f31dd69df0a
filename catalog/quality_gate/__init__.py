"""The data-quality gate's SQL, procedures and alerts, rendered from each promoted stream's declaration."""
