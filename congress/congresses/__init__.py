"""The congress edition: the entity every area hangs on, and the rules about it alone.

This is the core layer. It knows the edition (slug, dates, zone, status, registration
window), who organises it, how to load it from an address and how its wall-clock times
map to UTC. It imports nothing but the foundation (``db``, ``extensions``, ``i18n``);
every other area imports it, and attaches its own rows to a congress from its side.
"""
