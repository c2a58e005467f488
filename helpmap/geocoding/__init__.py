"""The parts of HelpMap's geocoder. Import the public API from `helpmap.geocode`, not from here.

Privacy: a searched place is sensitive health information. Nothing in this package logs a query,
prints one (except the command line's own output) or writes one to disk; the online cache lives
in memory only.
"""
