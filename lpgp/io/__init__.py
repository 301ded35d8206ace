"""Files in and out: spreadsheet readers with validation, and the exporters."""
