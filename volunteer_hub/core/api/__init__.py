"""What every domain's JSON API shares: problem details, paging, schemas and small helpers.

It sits on the bottom floor so a domain's ``api.py`` imports it downward; ``volunteer_hub.api``
on the top floor assembles the domains' blueprints into one API and its OpenAPI document.
"""
