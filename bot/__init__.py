"""SANIMAS bot: keeps communal wastewater plants (IPAL Komunal) working."""
