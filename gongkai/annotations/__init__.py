"""Real-document annotations kept as offsets + labels + document hash (never the text)."""
