"""Taking files in: parse, validate the whole file, then load it in one transaction."""
