"""Stage 6: turning results into text for people and machines."""
