"""Stage 5: views computed from a linked, valid portfolio (budget, as-of state, …)."""
