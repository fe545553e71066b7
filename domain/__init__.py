"""Rules of the SANIMAS domain: plain code, no Telegram, no database."""
